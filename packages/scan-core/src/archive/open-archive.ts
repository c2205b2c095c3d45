import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { ERR_INVALID_PASSWORD, ZipReader, configure } from '@zip.js/zip.js';
import type { Entry, FileEntry } from '@zip.js/zip.js';
import { ScanError } from '../errors.ts';
import { PASSWORD_PRECHECK_ENTRIES, resolveArchiveLimits } from './archive-limits.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import { classifyEntryPath } from './classify-entry-path.ts';
import type { PathClass } from './classify-entry-path.ts';
import { createFileRangeReader } from './create-file-range-reader.ts';
import type { RangeReader } from './create-file-range-reader.ts';
import { decodeEntryName } from '@collector/contracts/entry-names';
import { inspectZipStructure } from './inspect-zip-structure.ts';
import { errorMessage, mapZipError } from './map-zip-error.ts';

// Node has no Web Workers; zip.js would otherwise try to start them for every entry.
configure({ useWebWorkers: false });

export interface ArchiveEntry {
  /** position in the central directory: the order the person's tool wrote the entries */
  index: number;
  /** the name as the person wrote it */
  path: string;
  pathClass: PathClass;
  encrypted: boolean;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /**
   * zip.js' handle on the data, kept only where zip.js will read it: an encrypted entry, one with a data descriptor,
   * one whose place in the file is not plain, or one stored with another method. A plain entry is read by `readRaw`
   * and gets its handle from `reopen` only if its local header turns out to disagree. null for directories.
   */
  source: FileEntry | null;
  /** zip.js' handle on a plain entry whose direct read was unsure (RawDataUnsure); null for directories */
  reopen: (() => Promise<FileEntry | null>) | null;
  /**
   * Reads `length` bytes of the entry's stored (still compressed) data from `from`, straight from the file: one
   * read into one buffer, where zip.js' stream would read in chunks and the caller would copy them together. Used
   * for unencrypted entries; null for directories.
   */
  readRaw: ((from: number, length: number) => Promise<Uint8Array>) | null;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const SIZE_IN_ZIP64 = 0xffffffff;

/**
 * Raised by readRaw when the entry is not plain enough to read directly: the local header disagrees with the
 * directory, or the data would run into the directory or past the file. zip.js' own reading then decides, with its
 * own verdicts on such entries.
 */
export class RawDataUnsure extends Error {}

/** What the direct reader needs of a zip.js entry: a few numbers, so the entry itself (about 5 kB of objects) can go. */
interface RawLayout {
  offset: number;
  compressionMethod: number;
  rawBitFlag: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  zip64ExtraFieldMissing: boolean;
}

function rawLayout(entry: Entry): RawLayout {
  return {
    offset: entry.offset,
    compressionMethod: entry.compressionMethod,
    rawBitFlag: entry.rawBitFlag ?? 0,
    crc32: entry.crc32 ?? 0,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    zip64ExtraFieldMissing: (entry as { zip64ExtraFieldMissing?: boolean }).zip64ExtraFieldMissing === true,
  };
}

function rawDataReader(reader: RangeReader, entry: RawLayout, directoryStart: number | null): (from: number, length: number) => Promise<Uint8Array> {
  let dataOffset: Promise<number> | undefined;
  const locate = async (): Promise<number> => {
    if (directoryStart === null || entry.zip64ExtraFieldMissing) {
      throw new RawDataUnsure('not a plain layout');
    }
    // the same header zip.js reads, held to the same agreement with the directory
    const header = await reader.readUint8Array(entry.offset, LOCAL_HEADER_SIZE);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (header.length < LOCAL_HEADER_SIZE || view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) throw new RawDataUnsure('no local header');
    const flags = view.getUint16(6, true);
    if (view.getUint16(8, true) !== entry.compressionMethod) throw new RawDataUnsure('compression method differs');
    if ((flags & (FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR)) !== (entry.rawBitFlag & (FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR))) {
      throw new RawDataUnsure('flags differ');
    }
    if ((flags & FLAG_DATA_DESCRIPTOR) === 0) {
      const compressed = view.getUint32(18, true);
      const uncompressed = view.getUint32(22, true);
      if (view.getUint32(14, true) !== entry.crc32 >>> 0) throw new RawDataUnsure('CRC differs');
      if (compressed !== SIZE_IN_ZIP64 && compressed !== entry.compressedSize) throw new RawDataUnsure('compressed size differs');
      if (uncompressed !== SIZE_IN_ZIP64 && uncompressed !== entry.uncompressedSize) throw new RawDataUnsure('size differs');
    }
    const start = entry.offset + LOCAL_HEADER_SIZE + view.getUint16(26, true) + view.getUint16(28, true);
    if (start + entry.compressedSize > directoryStart) throw new RawDataUnsure('data runs into the directory');
    return start;
  };
  return async (from, length) => {
    dataOffset ??= locate();
    const start = await dataOffset;
    const wanted = Math.max(0, Math.min(length, entry.compressedSize - from));
    return reader.readUint8Array(start + from, wanted);
  };
}

export interface OpenArchiveOptions {
  /** used in memory only: never stored, never logged */
  password?: string;
  limits?: Partial<ArchiveLimits>;
  /** the name the person gave the file, when the path on disk is a temporary one */
  fileName?: string;
}

export interface OpenedArchive {
  fileName: string;
  sizeBytes: number;
  entries: readonly ArchiveEntry[];
  limits: ArchiveLimits;
  /** true when some entry is encrypted (the password is then needed to read it) */
  encrypted: boolean;
  close(): Promise<void>;
}

/** ZIP compression methods read without zip.js (read-entry-content.ts inflates deflated data itself) */
export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** Whether the direct reader can be expected to read the entry, so zip.js' handle on it need not be kept. */
function readsPlainly(layout: RawLayout, encrypted: boolean, directoryStart: number | null): boolean {
  return (
    !encrypted &&
    directoryStart !== null &&
    !layout.zip64ExtraFieldMissing &&
    (layout.rawBitFlag & FLAG_DATA_DESCRIPTOR) === 0 &&
    (layout.compressionMethod === METHOD_STORED || layout.compressionMethod === METHOD_DEFLATED)
  );
}

function toArchiveEntry(entry: Entry, index: number, reader: RangeReader, directoryStart: number | null, reopen: (index: number) => Promise<FileEntry | null>): ArchiveEntry {
  const path = entry.filename;
  const layout = rawLayout(entry);
  const plain = !entry.directory && readsPlainly(layout, entry.encrypted, directoryStart);
  return {
    index,
    path,
    pathClass: classifyEntryPath(path, { directory: entry.directory, symlink: entry.symlink }),
    encrypted: entry.encrypted,
    compressionMethod: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    crc32: entry.crc32 ?? 0,
    source: entry.directory || plain ? null : entry,
    reopen: plain ? () => reopen(index) : null,
    readRaw: entry.directory ? null : rawDataReader(reader, layout, directoryStart),
  };
}

/**
 * zip.js' handles on the plain entries, found again when one of them cannot be read directly after all (a local
 * header that disagrees with the directory: damaged or crafted). The directory is read once more, the first time,
 * and the handles of the entries not yet read are kept from then on, as they all were before: a damaged archive
 * costs that memory, a sound one does not.
 */
function handlesFoundAgain(
  reader: RangeReader,
  zipOptions: ConstructorParameters<typeof ZipReader>[1],
  wanted: (index: number) => boolean,
): (index: number) => Promise<FileEntry | null> {
  let found: Promise<Map<number, FileEntry>> | undefined;
  return async (index) => {
    found ??= (async () => {
      const handles = new Map<number, FileEntry>();
      let at = 0;
      for await (const entry of new ZipReader(reader, zipOptions).getEntriesGenerator()) {
        if (!entry.directory && wanted(at)) handles.set(at, entry);
        at++;
      }
      return handles;
    })();
    const handles = await found;
    const handle = handles.get(index) ?? null;
    // each entry is read once
    handles.delete(index);
    return handle;
  };
}

async function checkPassword(entries: readonly ArchiveEntry[], password: string): Promise<void> {
  const encrypted = entries.filter((entry) => entry.encrypted && entry.source && entry.pathClass.kind === 'file');
  for (const entry of encrypted.slice(0, PASSWORD_PRECHECK_ENTRIES)) {
    try {
      await entry.source?.getData(new WritableStream(), { password, checkPasswordOnly: true });
    } catch (error) {
      if (errorMessage(error) === ERR_INVALID_PASSWORD) {
        throw new ScanError('wrong_password', 'the password does not open the archive');
      }
      // Any other fault belongs to that entry alone and is reported when it is read.
    }
  }
}

/**
 * Opens a ZIP archive on disk for reading entry by entry and settles every archive-level verdict that can be
 * known before reading data: size, not a ZIP, split set, entry count, declared sizes, password. Reads byte
 * ranges only; the archive is never loaded whole.
 */
export async function openArchive(path: string, options: OpenArchiveOptions = {}): Promise<OpenedArchive> {
  const limits = resolveArchiveLimits(options.limits);
  const fileName = options.fileName ?? basename(path);
  const password = options.password !== undefined && options.password !== '' ? options.password : undefined;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limits.maxArchiveBytes) {
      throw new ScanError('archive_too_large', `${size} bytes, more than ${limits.maxArchiveBytes}`);
    }
    const reader = createFileRangeReader(handle, size);
    const structure = await inspectZipStructure(reader, fileName, limits);
    const zipOptions: ConstructorParameters<typeof ZipReader>[1] = {
      // Unsafe names are reported per entry by classifyEntryPath instead of failing the whole archive.
      filenameValidation: 'tolerant',
      decodeText: (raw, encoding, type) => (type === 'filename' ? decodeEntryName(raw, encoding === 'utf-8') : undefined),
    };
    const zipReader = new ZipReader(reader, zipOptions);
    const entries: ArchiveEntry[] = [];
    // only the entries still waiting to be read through zip.js (read-archive-entries drops `reopen` once read)
    const reopen = handlesFoundAgain(reader, zipOptions, (index) => entries[index]?.reopen != null);
    let splitEntry: { path: string; disk: number } | undefined;
    try {
      for await (const entry of zipReader.getEntriesGenerator()) {
        if (entries.length >= limits.maxEntries) {
          throw new ScanError('zip_bomb', `more than ${limits.maxEntries} entries`);
        }
        // zip.js' handles are not all kept: a file entry on another disk is noted now, and judged after the directory
        if (!entry.directory && (entry.diskNumberStart ?? 0) > 0) splitEntry ??= { path: entry.filename, disk: (entry.diskNumberStart ?? 0) + 1 };
        entries.push(toArchiveEntry(entry, entries.length, reader, structure.directoryStart, reopen));
      }
    } catch (error) {
      throw mapZipError(error, password !== undefined);
    }
    if (splitEntry) throw new ScanError('multipart_archive', `"${splitEntry.path}" starts on disk ${splitEntry.disk}`);
    const declaredTotal = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
    if (declaredTotal > limits.maxUncompressedTotalBytes) {
      throw new ScanError('zip_bomb', `entries declare ${declaredTotal} bytes, more than ${limits.maxUncompressedTotalBytes}`);
    }
    const encrypted = entries.some((entry) => entry.encrypted && entry.pathClass.kind === 'file');
    if (encrypted) {
      if (password === undefined) throw new ScanError('password_required', 'the archive is encrypted');
      await checkPassword(entries, password);
    }
    return { fileName, sizeBytes: size, entries, limits, encrypted, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
