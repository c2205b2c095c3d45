import { MAX_ARCHIVE_BYTES } from '@collector/contracts';
import { isSystemFile } from './entry-names.ts';

/** A file of a scanned folder with its path from the folder the person chose, root included: `ВПР 7 класс/7А/0001.jpg`. */
export type FolderFile = { path: string; file: Blob & { lastModified: number } };

export type ScannedFolder = { name: string; files: FolderFile[] };

export type ArchivePlan = {
  name: string;
  files: FolderFile[];
  /** the ZIP's size as built (entries are stored: JPEG and TIFF barely compress) */
  estimatedBytes: number;
  /** the classroom folders it holds, as paths under the root */
  folders: string[];
};

export type FolderPlan = {
  archives: ArchivePlan[];
  /** single files that do not fit an archive even alone */
  tooLarge: FolderFile[];
  /** system files left out (Thumbs.db, .DS_Store…) */
  ignored: string[];
};

// Local header (30) + central header (46) + data descriptor and ZIP64/timestamp extras, generously.
const ENTRY_OVERHEAD_BYTES = 160;
// End of central directory, with its ZIP64 record and locator.
const ARCHIVE_OVERHEAD_BYTES = 200;

const utf8 = new TextEncoder();
const collator = new Intl.Collator('ru-RU', { numeric: true, sensitivity: 'base' });

export function entryBytes(file: FolderFile): number {
  return file.file.size + ENTRY_OVERHEAD_BYTES + 2 * utf8.encode(file.path).length;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Splits a scanned folder into ZIPs under the limit the way the instruction asks people to do by hand:
 * one classroom folder («пакет из одной аудитории») is never spread over two archives while it fits
 * in one; a folder larger than the limit alone is split between its files. Paths are kept as they are.
 */
export function planFolderArchives(folder: ScannedFolder, maxBytes: number = MAX_ARCHIVE_BYTES): FolderPlan {
  const ignored: string[] = [];
  const tooLarge: FolderFile[] = [];
  const groups = new Map<string, FolderFile[]>();
  const budget = maxBytes - ARCHIVE_OVERHEAD_BYTES;

  for (const file of [...folder.files].sort((a, b) => collator.compare(a.path, b.path))) {
    if (isSystemFile(file.path)) ignored.push(file.path);
    else if (entryBytes(file) > budget) tooLarge.push(file);
    else {
      const directory = directoryOf(file.path);
      const group = groups.get(directory) ?? [];
      group.push(file);
      groups.set(directory, group);
    }
  }

  const chunks: { files: FolderFile[]; bytes: number; folders: string[] }[] = [];
  let current: { files: FolderFile[]; bytes: number; folders: string[] } | null = null;
  const close = () => {
    if (current !== null && current.files.length > 0) chunks.push(current);
    current = null;
  };

  for (const directory of [...groups.keys()].sort(collator.compare)) {
    const files = groups.get(directory) ?? [];
    const bytes = files.reduce((sum, file) => sum + entryBytes(file), 0);
    const open: { files: FolderFile[]; bytes: number; folders: string[] } | null = current;
    if (open !== null && open.bytes + bytes <= budget) {
      open.files.push(...files);
      open.bytes += bytes;
      open.folders.push(directory);
      continue;
    }
    close();
    if (bytes <= budget) {
      current = { files: [...files], bytes, folders: [directory] };
      continue;
    }
    // One classroom folder larger than the limit: split between its files, then start afresh.
    let part = { files: [] as FolderFile[], bytes: 0, folders: [directory] };
    for (const file of files) {
      const size = entryBytes(file);
      if (part.files.length > 0 && part.bytes + size > budget) {
        chunks.push(part);
        part = { files: [], bytes: 0, folders: [directory] };
      }
      part.files.push(file);
      part.bytes += size;
    }
    chunks.push(part);
  }
  close();

  const archives = chunks.map((chunk, index) => ({
    name: chunks.length === 1 ? `${folder.name}.zip` : `${folder.name}-${index + 1}.zip`,
    files: chunk.files,
    estimatedBytes: chunk.bytes + ARCHIVE_OVERHEAD_BYTES,
    folders: chunk.folders,
  }));
  return { archives, tooLarge, ignored };
}
