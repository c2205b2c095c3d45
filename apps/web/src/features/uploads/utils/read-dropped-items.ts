import type { FolderFile, ScannedFolder } from './plan-folder-archives.ts';

export type DroppedItems = { files: File[]; folders: ScannedFolder[] };

/**
 * What was dropped: loose files (archives, as the instruction has people send) and whole folders
 * (the browser zips those itself). The entries must be taken while the drop event runs; the
 * DataTransfer is emptied as soon as it returns.
 */
export function readDroppedItems(dataTransfer: DataTransfer): Promise<DroppedItems> {
  const entries: FileSystemEntry[] = [];
  const plainFiles: File[] = [];
  for (const item of [...dataTransfer.items]) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry !== null) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file !== null) plainFiles.push(file);
    }
  }
  if (entries.length === 0 && plainFiles.length === 0) plainFiles.push(...dataTransfer.files);
  return collect(entries, plainFiles);
}

async function collect(entries: FileSystemEntry[], plainFiles: File[]): Promise<DroppedItems> {
  const result: DroppedItems = { files: plainFiles, folders: [] };
  for (const entry of entries) {
    if (isFile(entry)) result.files.push(await fileOf(entry));
    else if (isDirectory(entry)) result.folders.push({ name: entry.name, files: await walk(entry, entry.name) });
  }
  return result;
}

async function walk(directory: FileSystemDirectoryEntry, path: string): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  for (const entry of await readAllEntries(directory)) {
    const entryPath = `${path}/${entry.name}`;
    if (isFile(entry)) files.push({ path: entryPath, file: await fileOf(entry) });
    else if (isDirectory(entry)) files.push(...(await walk(entry, entryPath)));
  }
  return files;
}

/** readEntries hands out a directory in batches (100 at a time in Chromium) until it returns none. */
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

/** `<input webkitdirectory>` gives a flat list whose webkitRelativePath starts with the chosen folder's name. */
export function foldersFromDirectoryInput(files: Iterable<File>): ScannedFolder[] {
  const byRoot = new Map<string, FolderFile[]>();
  for (const file of files) {
    const relative = file.webkitRelativePath as string | undefined;
    const path = relative === undefined || relative === '' ? file.name : relative;
    const root = path.split('/')[0] ?? path;
    const list = byRoot.get(root) ?? [];
    list.push({ path, file });
    byRoot.set(root, list);
  }
  return [...byRoot].map(([name, folderFiles]) => ({ name, files: folderFiles }));
}
