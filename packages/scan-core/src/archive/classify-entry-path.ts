/** What an entry's name (and its symlink bit) alone says about it, before any byte is read. */
export type PathClass =
  | { kind: 'file' }
  | { kind: 'directory' }
  | { kind: 'unsafe'; why: 'parent_segment' | 'absolute' | 'symlink' | 'nul_byte' }
  | { kind: 'junk'; why: 'system_file' | 'macos_metadata' };

/** Files operating systems drop into folders on their own; never pages, never problems. */
const SYSTEM_FILES = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini', '.ds_store']);

export function classifyEntryPath(path: string, flags: { directory: boolean; symlink: boolean }): PathClass {
  if (flags.symlink) return { kind: 'unsafe', why: 'symlink' };
  if (path.includes('\0')) return { kind: 'unsafe', why: 'nul_byte' };
  // Windows tools write backslashes; an extractor on Windows would honour them as separators.
  const normalised = path.replace(/\\/g, '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) return { kind: 'unsafe', why: 'absolute' };
  const segments = normalised.split('/');
  if (segments.includes('..')) return { kind: 'unsafe', why: 'parent_segment' };
  if (segments.some((segment) => segment.toLowerCase() === '__macosx')) return { kind: 'junk', why: 'macos_metadata' };
  if (flags.directory || normalised.endsWith('/')) return { kind: 'directory' };
  const base = (segments[segments.length - 1] ?? '').toLowerCase();
  if (SYSTEM_FILES.has(base)) return { kind: 'junk', why: 'system_file' };
  // AppleDouble resource forks ("._scan.jpg") that non-Apple zip tools pick up outside __MACOSX.
  if (base.startsWith('._')) return { kind: 'junk', why: 'macos_metadata' };
  return { kind: 'file' };
}
