// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { foldersFromDirectoryInput, readDroppedItems } from './read-dropped-items.ts';

type FakeEntry = { name: string; isFile: boolean; isDirectory: boolean; file?: (ok: (file: File) => void) => void; createReader?: () => unknown };

function fileEntry(name: string): FakeEntry {
  return { name, isFile: true, isDirectory: false, file: (ok) => ok(new File([name], name)) };
}

/** A directory that hands out its entries two at a time, as Chromium does in batches of 100. */
function directoryEntry(name: string, children: FakeEntry[]): FakeEntry {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let offset = 0;
      return {
        readEntries: (ok: (batch: FakeEntry[]) => void) => {
          const batch = children.slice(offset, offset + 2);
          offset += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  };
}

function dataTransferOf(entries: (FakeEntry | File)[]): DataTransfer {
  const items = entries.map((entry) => ({
    kind: 'file',
    webkitGetAsEntry: () => (entry instanceof File ? null : entry),
    getAsFile: () => (entry instanceof File ? entry : null),
  }));
  return { items, files: [] } as unknown as DataTransfer;
}

describe('readDroppedItems', () => {
  it('walks dropped folders to the bottom, in every batch, keeping paths from the folder dropped', async () => {
    const school = directoryEntry('Школа', [
      directoryEntry('7А', [fileEntry('0001.jpg'), fileEntry('0002.jpg'), fileEntry('0003.jpg')]),
      directoryEntry('7Б', [fileEntry('0001.jpg')]),
      fileEntry('Thumbs.db'),
    ]);
    const dropped = await readDroppedItems(dataTransferOf([school, fileEntry('отдельный.zip'), new File(['x'], 'без-записи.zip')]));
    expect(dropped.files.map((file) => file.name)).toEqual(['без-записи.zip', 'отдельный.zip']);
    expect(dropped.folders.map((folder) => folder.name)).toEqual(['Школа']);
    expect(dropped.folders[0]?.files.map((file) => file.path)).toEqual([
      'Школа/7А/0001.jpg',
      'Школа/7А/0002.jpg',
      'Школа/7А/0003.jpg',
      'Школа/7Б/0001.jpg',
      'Школа/Thumbs.db',
    ]);
  });
});

describe('foldersFromDirectoryInput', () => {
  it('groups the chosen folder’s files by their relative paths', () => {
    const files = ['Школа/7А/0001.jpg', 'Школа/7Б/0001.jpg'].map((path) => {
      const file = new File(['x'], path.split('/').at(-1) ?? path);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    });
    expect(foldersFromDirectoryInput(files)).toEqual([{ name: 'Школа', files: [{ path: 'Школа/7А/0001.jpg', file: files[0] }, { path: 'Школа/7Б/0001.jpg', file: files[1] }] }]);
  });
});
