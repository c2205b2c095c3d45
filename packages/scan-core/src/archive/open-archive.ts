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
  /** zip.js' handle on the data; null for directories */
  source: FileEntry | null;
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

function rawDataReader(reader: RangeReader, entry: Entry, directoryStart: number | null): (from: number, length: number) => Promise<Uint8Array> {
  let dataOffset: Promise<number> | undefined;
  const locate = async (): Promise<number> => {
    if (directoryStart === null || (entry as { zip64ExtraFieldMissing?: boolean }).zip64ExtraFieldMissing === true) {
      throw new RawDataUnsure('not a plain layout');
    }
    // the same header zip.js reads, held to the same agreement with the directory
    const header = await reader.readUint8Array(entry.offset, LOCAL_HEADER_SIZE);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (header.length < LOCAL_HEADER_SIZE || view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) throw new RawDataUnsure('no local header');
    const flags = view.getUint16(6, true);
    if (view.getUint16(8, true) !== entry.compressionMethod) throw new RawDataUnsure('compression method differs');
    if ((flags & (FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR)) !== ((entry.rawBitFlag ?? 0) & (FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR))) {
      throw new RawDataUnsure('flags differ');
    }
    if ((flags & FLAG_DATA_DESCRIPTOR) === 0) {
      const compressed = view.getUint32(18, true);
      const uncompressed = view.getUint32(22, true);
      if (view.getUint32(14, true) !== (entry.crc32 ?? 0) >>> 0) throw new RawDataUnsure('CRC differs');
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

function toArchiveEntry(entry: Entry, index: number, reader: RangeReader, directoryStart: number | null): ArchiveEntry {
  const path = entry.filename;
  return {
    index,
    path,
    pathClass: classifyEntryPath(path, { directory: entry.directory, symlink: entry.symlink }),
    encrypted: entry.encrypted,
    compressionMethod: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    crc32: entry.crc32 ?? 0,
    source: entry.directory ? null : entry,
    readRaw: entry.directory ? null : rawDataReader(reader, entry, directoryStart),
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
    const zipReader = new ZipReader(reader, {
      // Unsafe names are reported per entry by classifyEntryPath instead of failing the whole archive.
      filenameValidation: 'tolerant',
      decodeText: (raw, encoding, type) => (type === 'filename' ? decodeEntryName(raw, encoding === 'utf-8') : undefined),
    });
    const entries: ArchiveEntry[] = [];
    try {
      for await (const entry of zipReader.getEntriesGenerator()) {
        if (entries.length >= limits.maxEntries) {
          throw new ScanError('zip_bomb', `more than ${limits.maxEntries} entries`);
        }
        entries.push(toArchiveEntry(entry, entries.length, reader, structure.directoryStart));
      }
    } catch (error) {
      throw mapZipError(error, password !== undefined);
    }
    const splitEntry = entries.find((entry) => (entry.source?.diskNumberStart ?? 0) > 0);
    if (splitEntry) {
      throw new ScanError('multipart_archive', `"${splitEntry.path}" starts on disk ${(splitEntry.source?.diskNumberStart ?? 0) + 1}`);
    }
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
