import type { ArchivePlan } from './plan-folder-archives.ts';

/**
 * Builds one planned ZIP in the browser. Entries are stored, not deflated: scanned JPEG and LZW TIFF
 * barely shrink, storing costs no time, and the archive's size is known before it is built.
 * The File's date is the newest page's, so building the same folder again gives the same
 * fingerprint and an interrupted upload of it resumes.
 */
export async function buildFolderArchive(plan: ArchivePlan, onProgress?: (filesDone: number, filesTotal: number) => void): Promise<File> {
  // the native build: no WebAssembly (see preflight-archive.ts)
  const { BlobReader, BlobWriter, ZipWriter } = await import('@zip.js/zip.js/lib/zip-native.js');
  const writer = new ZipWriter(new BlobWriter('application/zip'), { useWebWorkers: false, level: 0, keepOrder: true });
  let done = 0;
  for (const entry of plan.files) {
    await writer.add(entry.path, new BlobReader(entry.file), { level: 0, lastModDate: new Date(entry.file.lastModified) });
    done += 1;
    onProgress?.(done, plan.files.length);
  }
  const blob = await writer.close();
  const lastModified = plan.files.reduce((latest, entry) => Math.max(latest, entry.file.lastModified), 0);
  return new File([blob], plan.name, { type: 'application/zip', lastModified });
}
