import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, inflateRaw, inflateRawSync } from 'node:zlib';
import { ERR_INVALID_PASSWORD, ERR_UNSUPPORTED_COMPRESSION } from '@zip.js/zip.js';
import { ScanError } from '../errors.ts';
import type { EntryCode } from '../errors.ts';
import { RATIO_CHECK_FLOOR_BYTES } from './archive-limits.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import { collectYoungGarbage } from '../pool/collect-garbage.ts';
import { errorMessage } from './map-zip-error.ts';
import { METHOD_DEFLATED, METHOD_STORED, RawDataUnsure } from './open-archive.ts';
import type { ArchiveEntry } from './open-archive.ts';
import { SNIFF_BYTES, sniffContent } from './sniff-content.ts';
import type { SniffedContent } from './sniff-content.ts';

const inflateRawAsync = promisify(inflateRaw);

/** Compressed bytes inflated to recognise an entry: always enough for SNIFF_BYTES of output, at most ~2 MB of it. */
const SNIFF_COMPRESSED_BYTES = 2 * 1024;
/**
 * A deflated entry that is not a page is still inflated to its end when it declares at most this much: that is
 * where a lying header hides (a few bytes declared, gigabytes inside). Larger declared sizes are judged by ratio.
 */
const VERIFY_NON_PAGE_BYTES = 16 * 1024 * 1024;
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

export type EntryContent =
  | { kind: 'page'; format: 'jpeg' | 'tiff'; bytes: Uint8Array; sha256: string }
  | { kind: 'problem'; code: EntryCode; detail: string; format?: string };

export interface ReadEntryContext {
  /** used in memory only */
  password: string | undefined;
  limits: ArchiveLimits;
  /** bytes inflated so far in this archive, shared by all entries: the 4 GiB cap holds while inflating */
  budget: { inflatedBytes: number };
}

/** Thrown into zip.js from our sink to stop reading an entry we have already judged. */
class StopReading extends Error {}

/** An entry-level fault found while reading: reported as corrupt_entry. */
class EntryDamaged extends Error {}

function problem(code: EntryCode, detail: string, format?: string): EntryContent {
  return format === undefined ? { kind: 'problem', code, detail } : { kind: 'problem', code, detail, format };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function charge(context: ReadEntryContext, bytes: number): void {
  context.budget.inflatedBytes += bytes;
  if (context.budget.inflatedBytes > context.limits.maxUncompressedTotalBytes) {
    throw new ScanError('zip_bomb', `more than ${context.limits.maxUncompressedTotalBytes} bytes inflated`);
  }
}

/**
 * The verdict on an entry that is not a page, or null for a page. The ratio is judged here, once the content
 * is known: an uncompressed TIFF of a blank form legitimately deflates ~1000:1, a JPEG or anything else cannot.
 */
function judgeContent(entry: ArchiveEntry, sniffed: SniffedContent, limits: ArchiveLimits): EntryContent | null {
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (sniffed.kind !== 'tiff' && entry.uncompressedSize > RATIO_CHECK_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
    throw new ScanError('zip_bomb', `"${entry.path}" inflates ${Math.round(ratio)}:1`);
  }
  if (sniffed.kind === 'archive') return problem('nested_archive', `an archive inside (${sniffed.format})`);
  if (sniffed.kind === 'forbidden') return problem('forbidden_format', `${sniffed.format}, not JPEG or TIFF`, sniffed.format);
  if (sniffed.kind === 'unknown') {
    // A page-named file whose bytes are no image is a broken scan; anything else is a file we do not take.
    return /\.(jpe?g|jfif|tiff?)$/i.test(entry.path)
      ? problem('unreadable_image', 'not a JPEG or TIFF image inside')
      : problem('forbidden_format', 'not a JPEG or TIFF page');
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return problem('unreadable_image', `${entry.uncompressedSize} bytes, too large for a page`);
  }
  return null;
}

function headOf(method: number, chunks: readonly Uint8Array[], total: number): Uint8Array {
  const joined = concat(chunks, total);
  if (method === METHOD_STORED) return joined.subarray(0, SNIFF_BYTES);
  // Only the first compressed bytes: a chunk of zeros would otherwise inflate ~1000-fold here. A partial
  // deflate stream is flushed as far as it goes instead of failing on its missing end.
  const head = joined.subarray(0, SNIFF_COMPRESSED_BYTES);
  return inflateRawSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, SNIFF_BYTES);
}

async function inflatePage(entry: ArchiveEntry, data: Uint8Array): Promise<Uint8Array> {
  if (entry.compressionMethod === METHOD_STORED) {
    // Stored data cannot amplify: a size disagreement is damage, not a bomb.
    if (data.length !== entry.uncompressedSize) throw new EntryDamaged(`holds ${data.length} bytes, ${entry.uncompressedSize} declared`);
    return data;
  }
  try {
    // The declared size is the cap: inflating past it is the lying-header bomb, stopped right there.
    return await inflateRawAsync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ScanError('zip_bomb', `"${entry.path}" inflates past the ${entry.uncompressedSize} bytes it declares`);
    }
    throw new EntryDamaged(`does not inflate: ${errorMessage(error)}`);
  }
}

function verifyPage(entry: ArchiveEntry, bytes: Uint8Array): void {
  if (bytes.length !== entry.uncompressedSize) {
    throw new EntryDamaged(`inflates to ${bytes.length} bytes, ${entry.uncompressedSize} declared`);
  }
  // WinZip AE-2 entries carry no CRC (0); their integrity is the AES authentication code zip.js checks.
  const aesWithoutCrc = entry.encrypted && entry.source?.zipCrypto === false && entry.crc32 === 0;
  if (!aesWithoutCrc && crc32(bytes) >>> 0 !== entry.crc32 >>> 0) throw new EntryDamaged('CRC mismatch');
}

// The judge/verify core: both readers below (straight from the file, or through zip.js' stream) get the entry's
// first bytes and then its data their own way, and hand them here for the same verdicts.

/**
 * A deflated entry that is refused by its content is still inflated to its end when it is small enough: that is
 * where a lying header hides. Its data is then read in full.
 */
function verifiesRefusedEntry(entry: ArchiveEntry): boolean {
  return entry.compressionMethod === METHOD_DEFLATED && entry.uncompressedSize <= VERIFY_NON_PAGE_BYTES && entry.compressedSize <= VERIFY_NON_PAGE_BYTES;
}

/**
 * The verdict from an entry's first bytes (raw as `method` stores them): a problem for anything that is not a page,
 * null for a page. Throws ScanError for an archive-level fault (a bomb), EntryDamaged when the head does not inflate.
 */
function judgeHead(entry: ArchiveEntry, method: number, chunks: readonly Uint8Array[], received: number, limits: ArchiveLimits): EntryContent | null {
  let sniffed: SniffedContent;
  try {
    sniffed = sniffContent(headOf(method, chunks, received));
  } catch (error) {
    throw new EntryDamaged(`does not inflate: ${errorMessage(error)}`);
  }
  return judgeContent(entry, sniffed, limits);
}

/**
 * A refused entry read in full (verifiesRefusedEntry): only the lying header matters here — the content is already
 * refused, so damage is not reported twice.
 */
async function checkRefusedEntry(entry: ArchiveEntry, data: Uint8Array): Promise<void> {
  await inflatePage(entry, data).catch((error: unknown) => {
    if (error instanceof ScanError) throw error;
  });
}

/**
 * A page from its data as read: inflated here when `inflate` (else zip.js inflated it, within the declared size),
 * checked against the directory's size and CRC, charged to the archive's budget, recognised and hashed. Damage is
 * the entry's problem; a bomb is thrown.
 */
async function completePage(entry: ArchiveEntry, data: Uint8Array, inflate: boolean, context: ReadEntryContext): Promise<EntryContent> {
  try {
    const bytes = inflate ? await inflatePage(entry, data) : data;
    verifyPage(entry, bytes);
    if (inflate) charge(context, bytes.length);
    const format = sniffContent(bytes.subarray(0, SNIFF_BYTES)).kind === 'tiff' ? 'tiff' : 'jpeg';
    return { kind: 'page', format, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (error) {
    if (error instanceof EntryDamaged) return problem('corrupt_entry', error.message);
    throw error;
  }
}

/**
 * Reader 1: an unencrypted stored or deflated entry, read straight from the file — its first bytes to recognise it,
 * then, for a page (or a small refused entry whose size claim is checked), all its data in one read into one buffer.
 * One copy of the page in memory instead of a stream's chunks plus their concatenation. Null when the entry is not
 * plain enough to read directly: the stream reader decides.
 */
async function readPlainEntry(entry: ArchiveEntry, readRaw: NonNullable<ArchiveEntry['readRaw']>, context: ReadEntryContext): Promise<EntryContent | null> {
  const method = entry.compressionMethod;
  let data: Uint8Array;
  let verdict: EntryContent | null;
  try {
    const head = await readRaw(0, method === METHOD_DEFLATED ? SNIFF_COMPRESSED_BYTES : SNIFF_BYTES);
    verdict = judgeHead(entry, method, [head], head.length, context.limits);
    if (verdict !== null && !verifiesRefusedEntry(entry)) return verdict;
    data = await readRaw(0, entry.compressedSize);
  } catch (error) {
    if (error instanceof RawDataUnsure) return null;
    if (error instanceof EntryDamaged) return problem('corrupt_entry', error.message);
    throw error;
  }
  if (verdict !== null) {
    await checkRefusedEntry(entry, data);
    return verdict;
  }
  if (data.length !== entry.compressedSize) return problem('corrupt_entry', `holds ${data.length} bytes, ${entry.compressedSize} declared`);
  return completePage(entry, data, true, context);
}

/**
 * Reader 2: any entry through zip.js' stream (encrypted ones, other compression methods, entries reader 1 declined).
 * For stored/deflated entries zip.js only decrypts ('compressed' pass-through) and we inflate, so that an entry
 * inflating past its declared size is told apart from a truncated one. Stops at once for anything not a page.
 */
async function readStreamedEntry(entry: ArchiveEntry, source: NonNullable<ArchiveEntry['source']>, context: ReadEntryContext): Promise<EntryContent> {
  const ownInflate = entry.compressionMethod === METHOD_STORED || entry.compressionMethod === METHOD_DEFLATED;
  const headMethod = ownInflate ? entry.compressionMethod : METHOD_STORED;
  const chunks: Uint8Array[] = [];
  let received = 0;
  let verdict: EntryContent | null | undefined;
  let stopped = false;
  let copiedSinceCollect = 0;
  const verifyRefused = verifiesRefusedEntry(entry);

  const decide = (): void => {
    verdict = judgeHead(entry, headMethod, chunks, received, context.limits);
    if (verdict === null && ownInflate) {
      // A page: keep reading, into one buffer the size of its compressed data (known from the directory).
      const buffer = new Uint8Array(Math.max(entry.compressedSize, received));
      buffer.set(concat(chunks, received), 0);
      chunks.length = 0;
      chunks.push(buffer);
    }
  };

  const take = (chunk: Uint8Array): void => {
    if (verdict === undefined) {
      chunks.push(chunk);
      received += chunk.length;
      if (!ownInflate) charge(context, chunk.length);
      if (received >= (headMethod === METHOD_DEFLATED ? SNIFF_COMPRESSED_BYTES : SNIFF_BYTES)) decide();
      if (verdict !== undefined && verdict !== null && !verifyRefused) {
        stopped = true;
        throw new StopReading();
      }
      return;
    }
    if (verdict !== null || !ownInflate) {
      // A judged non-page kept only to check its declared size (bounded by that size), or a page that zip.js
      // inflates itself (other compression methods), whose output zip.js holds to the declared size.
      if (!ownInflate) charge(context, chunk.length);
      chunks.push(chunk);
      received += chunk.length;
      return;
    }
    const buffer = chunks[0];
    if (!buffer) return;
    if (received + chunk.length > buffer.length) throw new EntryDamaged('more data than the archive declares');
    buffer.set(chunk, received);
    received += chunk.length;
    // zip.js hands over every chunk in a fresh buffer (decrypted, too): free the copied ones as the entry goes, or a
    // large page would briefly be held twice
    copiedSinceCollect += chunk.length;
    if (copiedSinceCollect >= COLLECT_EVERY_BYTES) {
      copiedSinceCollect = 0;
      collectYoungGarbage();
    }
  };

  // zip.js may wrap what our sink throws, so the sink keeps its own record of why it stopped.
  let sinkError: unknown = null;
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      try {
        take(chunk);
      } catch (error) {
        sinkError = error;
        throw error;
      }
    },
  });

  try {
    await source.getData(sink, { password: context.password, passThrough: ownInflate ? 'compressed' : false });
  } catch (error) {
    if (!stopped) {
      const cause = sinkError ?? error;
      if (cause instanceof ScanError) throw cause;
      const message = errorMessage(cause);
      if (message === ERR_INVALID_PASSWORD) throw new ScanError('wrong_password', 'the password does not open the archive');
      // Already refused by its content: damage further on changes nothing for the person.
      if (verdict) return verdict;
      if (cause instanceof EntryDamaged) return problem('corrupt_entry', cause.message);
      if (message === ERR_UNSUPPORTED_COMPRESSION) return problem('corrupt_entry', `compression method ${entry.compressionMethod} is not supported`);
      return problem('corrupt_entry', sinkError ? `does not inflate: ${message}` : message);
    }
  }
  if (verdict === undefined) {
    try {
      decide();
    } catch (error) {
      if (error instanceof ScanError) throw error;
      return problem('corrupt_entry', error instanceof EntryDamaged ? error.message : `does not inflate: ${errorMessage(error)}`);
    }
  }
  if (verdict) {
    if (verifyRefused) await checkRefusedEntry(entry, concat(chunks, received));
    return verdict;
  }
  const data = ownInflate ? (chunks[0] ?? new Uint8Array(0)).subarray(0, received) : concat(chunks, received);
  return completePage(entry, data, ownInflate, context);
}

/**
 * Reads one entry: recognises its content from the first bytes, stops at once for anything that is not a
 * page, and inflates pages under the archive's limits. Archive-level faults found on the way (a bomb, a
 * wrong password) are thrown as ScanError; entry-level ones are returned.
 */
export async function readEntryContent(entry: ArchiveEntry, context: ReadEntryContext): Promise<EntryContent> {
  const ownInflate = entry.compressionMethod === METHOD_STORED || entry.compressionMethod === METHOD_DEFLATED;
  if (ownInflate && !entry.encrypted && entry.readRaw) {
    const plain = await readPlainEntry(entry, entry.readRaw, context);
    if (plain !== null) return plain;
  }
  // zip.js reads what the direct reader could not (or was not meant to)
  let source = entry.source;
  try {
    source ??= (await entry.reopen?.()) ?? null;
  } catch (error) {
    return problem('corrupt_entry', `the directory cannot be read again: ${errorMessage(error)}`);
  }
  if (!source) return problem('corrupt_entry', 'no data');
  return readStreamedEntry(entry, source, context);
}
