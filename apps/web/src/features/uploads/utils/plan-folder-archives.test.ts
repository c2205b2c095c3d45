// @vitest-environment node
import { BlobReader, ZipReader } from '@zip.js/zip.js/lib/zip-native.js';
import { describe, expect, it } from 'vitest';
import { buildFolderArchive } from './build-folder-archive.ts';
import { entryBytes, planFolderArchives } from './plan-folder-archives.ts';
import type { FolderFile, ScannedFolder } from './plan-folder-archives.ts';

const KB = 1024;

function page(path: string, sizeBytes: number, lastModified = Date.UTC(2026, 10, 20, 9, 0)): FolderFile {
  const bytes = new Uint8Array(sizeBytes).fill(path.length % 251);
  return { path, file: new File([bytes], path.split('/').at(-1) ?? path, { lastModified }) };
}

/** Three classrooms of 10 pages of 10 KB: about 100 KB each. */
function school(): ScannedFolder {
  const files: FolderFile[] = [];
  for (const room of ['7Б', '7А', '7В']) {
    for (let n = 10; n >= 1; n -= 1) files.push(page(`Школа 771933/${room}/${String(n).padStart(4, '0')}.jpg`, 10 * KB));
  }
  files.push(page('Школа 771933/7А/Thumbs.db', 2 * KB), page('Школа 771933/.DS_Store', KB));
  return { name: 'Школа 771933', files };
}

describe('planFolderArchives', () => {
  it('keeps a folder that fits in one archive whole, without the system files', () => {
    const plan = planFolderArchives(school(), 10 * 1024 * KB);
    expect(plan.archives.map((archive) => archive.name)).toEqual(['Школа 771933.zip']);
    expect(plan.archives[0]?.files).toHaveLength(30);
    expect(plan.ignored).toEqual(['Школа 771933/.DS_Store', 'Школа 771933/7А/Thumbs.db']);
    expect(plan.tooLarge).toEqual([]);
  });

  it('splits at classroom folders, in name order, never spreading a classroom over two archives', () => {
    // room for two classrooms, not three
    const plan = planFolderArchives(school(), 250 * KB);
    expect(plan.archives.map((archive) => archive.name)).toEqual(['Школа 771933-1.zip', 'Школа 771933-2.zip']);
    expect(plan.archives.map((archive) => archive.folders)).toEqual([['Школа 771933/7А', 'Школа 771933/7Б'], ['Школа 771933/7В']]);
    expect(plan.archives[0]?.files.slice(0, 2).map((file) => file.path)).toEqual(['Школа 771933/7А/0001.jpg', 'Школа 771933/7А/0002.jpg']);
    for (const archive of plan.archives) expect(archive.estimatedBytes).toBeLessThanOrEqual(250 * KB);
  });

  it('splits a single classroom larger than the limit between its files', () => {
    const files = Array.from({ length: 12 }, (_, index) => page(`7А/${String(index + 1).padStart(4, '0')}.tif`, 20 * KB));
    const plan = planFolderArchives({ name: '7А', files }, 100 * KB);
    expect(plan.archives.length).toBe(3);
    expect(plan.archives.flatMap((archive) => archive.files.map((file) => file.path))).toEqual(files.map((file) => file.path));
    for (const archive of plan.archives) expect(archive.estimatedBytes).toBeLessThanOrEqual(100 * KB);
  });

  it('sets aside a single file that cannot fit any archive', () => {
    const huge = page('7А/огромный.tif', 300 * KB);
    const plan = planFolderArchives({ name: '7А', files: [huge, page('7А/0001.jpg', KB)] }, 200 * KB);
    expect(plan.tooLarge).toEqual([huge]);
    expect(plan.archives[0]?.files.map((file) => file.path)).toEqual(['7А/0001.jpg']);
  });
});

describe('buildFolderArchive', () => {
  it('builds ZIPs within the limit that keep the relative paths, the same bytes every time', async () => {
    const limit = 250 * KB;
    const plan = planFolderArchives(school(), limit);
    for (const archive of plan.archives) {
      const file = await buildFolderArchive(archive);
      expect(file.name).toBe(archive.name);
      expect(file.size).toBeLessThanOrEqual(archive.estimatedBytes);
      expect(file.size).toBeLessThanOrEqual(limit);
      const reader = new ZipReader(new BlobReader(file), { useWebWorkers: false });
      const entries = await reader.getEntries();
      expect(entries.map((entry) => entry.filename)).toEqual(archive.files.map((entry) => entry.path));
      expect(entries.every((entry) => entry.uncompressedSize === 10 * KB)).toBe(true);
      await reader.close();

      // Built again after a reload, the archive is the same file: its interrupted upload can resume.
      const again = await buildFolderArchive(archive);
      expect(again.lastModified).toBe(file.lastModified);
      expect(new Uint8Array(await again.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
    }
    // zip.js computes every entry's CRC in JavaScript: seconds on a busy two-core machine
  }, 30_000);

  it('estimates each entry generously enough for long Cyrillic paths', async () => {
    const file = page('Очень длинное название школы и аудитории/Аудитория 12 (второй поток)/Скан страницы 0001.jpg', 3 * KB);
    const archive = await buildFolderArchive({ name: 'x.zip', files: [file], estimatedBytes: 0, folders: [] });
    expect(archive.size).toBeLessThanOrEqual(entryBytes(file) + 200);
  });
});
