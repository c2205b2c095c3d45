import { ScanError } from '../errors.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import type { RangeReader } from './create-file-range-reader.ts';
import { sniffContent } from './sniff-content.ts';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_LENGTH = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
/** "PK\x07\x08" opens the first part of a spanned archive; "PK00" marks a spanned archive that fit on one disk. */
const SPANNING_SIGNATURES = [0x08074b50, 0x30304b50];
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** Part names of split archives: `scans.z01`, `scans.zip.001`. */
const SPLIT_PART_NAME = /\.(z\d{2,}|zip\.\d{3,}|\d{3})$/i;

export interface ZipStructure {
  /** entry count from the end record, or null when the record says "see zip64" and zip64 is unreadable */
  declaredEntries: number | null;
  /**
   * Where the central directory starts, when the end records place it exactly where it is (it ends where they
   * begin); null for anything less plain (data prepended, offsets that do not add up), which zip.js untangles.
   */
  directoryStart: number | null;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The archive-level verdicts that can be read from the first bytes and the end record alone, before zip.js
 * parses anything: not a ZIP at all, one part of a split set, or more entries than allowed.
 */
export async function inspectZipStructure(reader: RangeReader, fileName: string, limits: ArchiveLimits): Promise<ZipStructure> {
  const head = await reader.readUint8Array(0, 512);
  const firstSignature = head.length >= 4 ? view(head).getUint32(0, true) : 0;
  if (SPANNING_SIGNATURES.includes(firstSignature)) {
    throw new ScanError('multipart_archive', 'the archive starts with the spanning signature of a split set');
  }
  const tailLength = Math.min(reader.size, EOCD_LENGTH + 0xffff);
  const tailOffset = reader.size - tailLength;
  const tail = await reader.readUint8Array(tailOffset, tailLength);
  const tailView = view(tail);
  let eocd = -1;
  for (let index = tail.length - EOCD_LENGTH; index >= 0; index--) {
    if (tailView.getUint32(index, true) === EOCD_SIGNATURE) {
      // A real end record's comment reaches the end of the file; a stray signature inside data does not.
      const commentLength = tailView.getUint16(index + 20, true);
      if (index + EOCD_LENGTH + commentLength <= tail.length) {
        eocd = index;
        break;
      }
    }
  }
  if (eocd < 0) {
    const sniffed = sniffContent(head);
    const looksLikeZip = firstSignature === LOCAL_HEADER_SIGNATURE;
    if (SPLIT_PART_NAME.test(fileName) && (looksLikeZip || sniffed.kind === 'unknown')) {
      throw new ScanError('multipart_archive', 'a part of a split archive (no end record, named like a part)');
    }
    if (looksLikeZip) throw new ScanError('corrupt_archive', 'the end of the archive is missing (truncated?)');
    throw new ScanError('not_zip', `not a ZIP archive (${sniffed.format === 'unknown' ? 'unrecognised content' : sniffed.format})`);
  }
  const diskNumber = tailView.getUint16(eocd + 4, true);
  const directoryDisk = tailView.getUint16(eocd + 6, true);
  const totalEntries = tailView.getUint16(eocd + 10, true);
  const needsZip64 = diskNumber === 0xffff || totalEntries === 0xffff || tailView.getUint32(eocd + 16, true) === 0xffffffff;
  if (!needsZip64 && (diskNumber !== 0 || directoryDisk !== 0)) {
    throw new ScanError('multipart_archive', `the end record names disk ${diskNumber + 1} of a split set`);
  }
  let declaredEntries: number | null = totalEntries;
  const eocdAt = tailOffset + eocd;
  const plainStart = tailView.getUint32(eocd + 16, true);
  let directoryStart: number | null = plainStart + tailView.getUint32(eocd + 12, true) === eocdAt ? plainStart : null;
  if (needsZip64) {
    declaredEntries = null;
    directoryStart = null;
    const locator = eocd - ZIP64_LOCATOR_LENGTH;
    if (locator >= 0 && tailView.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
      const totalDisks = tailView.getUint32(locator + 16, true);
      if (totalDisks > 1) throw new ScanError('multipart_archive', `the zip64 locator names ${totalDisks} disks`);
      const recordOffset = Number(tailView.getBigUint64(locator + 8, true));
      const record = await reader.readUint8Array(recordOffset, 56);
      if (record.length === 56 && view(record).getUint32(0, true) === ZIP64_EOCD_SIGNATURE) {
        const recordView = view(record);
        if (recordView.getUint32(16, true) !== 0 || recordView.getUint32(20, true) !== 0) {
          throw new ScanError('multipart_archive', 'the zip64 end record names a later disk of a split set');
        }
        declaredEntries = Number(recordView.getBigUint64(32, true));
        const zip64Start = Number(recordView.getBigUint64(48, true));
        if (zip64Start + Number(recordView.getBigUint64(40, true)) === recordOffset) directoryStart = zip64Start;
      }
    }
  }
  if (declaredEntries !== null && declaredEntries > limits.maxEntries) {
    throw new ScanError('zip_bomb', `${declaredEntries} entries, more than ${limits.maxEntries}`);
  }
  return { declaredEntries, directoryStart };
}
