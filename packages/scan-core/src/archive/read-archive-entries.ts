import type { EntryCode } from '../errors.ts';
import type { OpenedArchive, ArchiveEntry } from './open-archive.ts';
import { readEntryContent } from './read-entry-content.ts';

export type IgnoredReason = 'system_file' | 'macos_metadata' | 'empty_folder';

export type EntryOutcome =
  | { kind: 'page'; index: number; path: string; format: 'jpeg' | 'tiff'; bytes: Uint8Array; sha256: string }
  | { kind: 'ignored'; index: number; path: string; reason: IgnoredReason }
  /** `format`: what the content was recognised as, when it was (a forbidden_format entry) */
  | { kind: 'problem'; index: number; path: string; code: EntryCode; detail: string; format?: string };

export interface ReadArchiveEntriesOptions {
  /** used in memory only */
  password?: string;
}

function folderPrefixes(entries: readonly ArchiveEntry[]): Set<string> {
  const prefixes = new Set<string>();
  for (const entry of entries) {
    const parts = entry.path.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
    for (let length = 1; length < parts.length; length++) prefixes.add(parts.slice(0, length).join('/'));
  }
  return prefixes;
}

/**
 * Every entry of an opened archive in the order the person's tool wrote them, each ending as a page (its
 * bytes), an ignored system file, or a named problem. One entry's bytes are in memory at a time; the caller
 * decides how many pages it keeps in flight. Archive-level faults found while inflating are thrown. The archive is
 * read once: each entry's data handles (`source`, `reopen`, `readRaw`) are dropped once it has been read.
 */
export async function* readArchiveEntries(
  archive: OpenedArchive,
  options: ReadArchiveEntriesOptions = {},
): AsyncGenerator<EntryOutcome> {
  const password = options.password !== undefined && options.password !== '' ? options.password : undefined;
  const nonEmptyFolders = folderPrefixes(archive.entries);
  const budget = { inflatedBytes: 0 };
  for (const entry of archive.entries) {
    const { index, path, pathClass } = entry;
    switch (pathClass.kind) {
      case 'unsafe':
        yield { kind: 'problem', index, path, code: 'unsafe_path', detail: pathClass.why };
        continue;
      case 'junk':
        yield { kind: 'ignored', index, path, reason: pathClass.why };
        continue;
      case 'directory':
        // Folders that hold files are structure, not content; only empty ones are listed.
        if (!nonEmptyFolders.has(path.replace(/\\/g, '/').replace(/\/+$/, ''))) {
          yield { kind: 'ignored', index, path, reason: 'empty_folder' };
        }
        continue;
      case 'file':
        break;
    }
    const content = await readEntryContent(entry, { password, limits: archive.limits, budget });
    // an archive is read once: zip.js' handle on an entry read is let go (a thousand of them held 6 MB to the end)
    entry.source = null;
    entry.reopen = null;
    entry.readRaw = null;
    if (content.kind === 'page') {
      yield { kind: 'page', index, path, format: content.format, bytes: content.bytes, sha256: content.sha256 };
    } else {
      yield { kind: 'problem', index, path, code: content.code, detail: content.detail, ...(content.format === undefined ? {} : { format: content.format }) };
    }
  }
}
