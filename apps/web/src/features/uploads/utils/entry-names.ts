/*
 * What a file name inside an archive (or a scanned folder) suggests, before anything is read.
 * Only a first opinion for the person: the server decides every entry by its content.
 */

const PAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'jpe', 'jfif', 'tif', 'tiff']);
const ARCHIVE_EXTENSIONS = new Set(['zip', 'zipx', 'rar', '7z', 'gz', 'tgz', 'tar', 'bz2', 'tbz2', 'xz', 'txz', 'zst', 'lz', 'lzma', 'cab', 'arj', 'lzh', 'iso']);
const FORBIDDEN_EXTENSIONS = new Set([
  'pdf', 'bmp', 'dib', 'png', 'gif', 'heic', 'heif', 'webp', 'avif', 'jp2', 'j2k', 'jpx', 'psd', 'djvu', 'djv', 'svg', 'ico',
  'pcx', 'tga', 'raw', 'cr2', 'nef', 'dng', 'xps', 'oxps', 'doc', 'docx', 'odt', 'rtf', 'xls', 'xlsx', 'ods',
]);
/** Left by Windows and macOS: the server ignores them, and so does a folder the browser zips. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store', 'ehthumbs.db']);

export type EntryNameKind = 'page' | 'ignored' | 'nested_archive' | 'forbidden_format' | 'unsafe_path' | 'other';

export function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part !== '');
  return parts.at(-1) ?? '';
}

/** A part of a split archive: `scans.z01`, `scans.zip.001`, `scans.001`. */
export function isSplitPartName(name: string): boolean {
  return /\.(z\d{2}|zip\.\d{3}|\d{3})$/i.test(name);
}

export function isSystemFile(path: string): boolean {
  const segments = path.split(/[\\/]/);
  if (segments.some((segment) => segment === '__MACOSX')) return true;
  const base = baseName(path);
  return SYSTEM_FILES.has(base.toLowerCase()) || base.startsWith('._');
}

export function classifyEntryName(path: string): EntryNameKind {
  if (isSystemFile(path)) return 'ignored';
  const segments = path.split(/[\\/]/);
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || segments.includes('..')) return 'unsafe_path';
  const extension = extensionOf(path);
  if (PAGE_EXTENSIONS.has(extension)) return 'page';
  if (ARCHIVE_EXTENSIONS.has(extension) || isSplitPartName(path)) return 'nested_archive';
  if (FORBIDDEN_EXTENSIONS.has(extension)) return 'forbidden_format';
  return 'other';
}
