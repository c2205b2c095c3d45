/**
 * What a byte string is, judged by its leading bytes only (never by its name).
 * Entries and uploads are classified with this before anything tries to decode them.
 */
export type ContentKind = 'jpeg' | 'tiff' | 'archive' | 'forbidden' | 'unknown';

export interface SniffedContent {
  kind: ContentKind;
  /** short format name for messages, e.g. 'zip', 'rar', 'pdf', 'png' */
  format: string;
}

/** Enough leading bytes to recognise every format below (tar's magic sits at offset 257). */
export const SNIFF_BYTES = 512;

interface Signature {
  format: string;
  kind: ContentKind;
  offset: number;
  bytes: readonly number[];
}

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { format: 'jpeg', kind: 'jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { format: 'tiff', kind: 'tiff', offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', kind: 'tiff', offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  // BigTIFF: libvips reads it, and it is still a TIFF page.
  { format: 'tiff', kind: 'tiff', offset: 0, bytes: [0x49, 0x49, 0x2b, 0x00] },
  { format: 'tiff', kind: 'tiff', offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2b] },
  // Archives: every ZIP record signature, so a spanned or empty inner zip is still "an archive inside".
  { format: 'zip', kind: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'zip', kind: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { format: 'zip', kind: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x07, 0x08] },
  { format: 'zip', kind: 'archive', offset: 0, bytes: [0x50, 0x4b, 0x30, 0x30] },
  { format: 'rar', kind: 'archive', offset: 0, bytes: ascii('Rar!\x1a\x07') },
  { format: '7z', kind: 'archive', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'gzip', kind: 'archive', offset: 0, bytes: [0x1f, 0x8b] },
  { format: 'bzip2', kind: 'archive', offset: 0, bytes: ascii('BZh') },
  { format: 'xz', kind: 'archive', offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'zstd', kind: 'archive', offset: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { format: 'lzip', kind: 'archive', offset: 0, bytes: ascii('LZIP') },
  { format: 'cab', kind: 'archive', offset: 0, bytes: ascii('MSCF') },
  { format: 'arj', kind: 'archive', offset: 0, bytes: [0x60, 0xea] },
  { format: 'compress', kind: 'archive', offset: 0, bytes: [0x1f, 0x9d] },
  { format: 'tar', kind: 'archive', offset: 257, bytes: ascii('ustar') },
  // Images and documents that are not JPEG/TIFF pages.
  { format: 'pdf', kind: 'forbidden', offset: 0, bytes: ascii('%PDF') },
  { format: 'png', kind: 'forbidden', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47] },
  { format: 'gif', kind: 'forbidden', offset: 0, bytes: ascii('GIF8') },
  { format: 'bmp', kind: 'forbidden', offset: 0, bytes: ascii('BM') },
  { format: 'jpeg2000', kind: 'forbidden', offset: 0, bytes: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { format: 'jpeg-xl', kind: 'forbidden', offset: 0, bytes: [0xff, 0x0a] },
  { format: 'psd', kind: 'forbidden', offset: 0, bytes: ascii('8BPS') },
  { format: 'djvu', kind: 'forbidden', offset: 0, bytes: ascii('AT&TFORM') },
  { format: 'ms-office', kind: 'forbidden', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { format: 'rtf', kind: 'forbidden', offset: 0, bytes: ascii('{\\rtf') },
  { format: 'ico', kind: 'forbidden', offset: 0, bytes: [0x00, 0x00, 0x01, 0x00] },
  { format: 'postscript', kind: 'forbidden', offset: 0, bytes: ascii('%!PS') },
  { format: 'exe', kind: 'forbidden', offset: 0, bytes: ascii('MZ') },
  { format: 'elf', kind: 'forbidden', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
];

/**
 * Formats a page picture comes in when it is not JPEG or TIFF (a scanner or phone set to PDF, PNG, HEIC…): an
 * archive of only these was meant to carry pages, so its rejection names the format. Text, office documents and
 * programs are not pages in any format: an archive of only those has no page at all (empty_archive).
 */
export const PAGE_PICTURE_FORMATS: ReadonlySet<string> = new Set(['pdf', 'png', 'gif', 'bmp', 'jpeg2000', 'jpeg-xl', 'psd', 'djvu', 'ico', 'postscript', 'heic', 'webp', 'svg']);

/** ISO-BMFF brands (`....ftypXXXX`): HEIC/HEIF/AVIF photos from phones. */
const ISO_BMFF_IMAGE_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

function matchesAt(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (bytes.length < offset + expected.length) return false;
  return expected.every((value, index) => bytes[offset + index] === value);
}

function readAscii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** First entry names of the zip-based document formats (OOXML, OpenDocument, EPUB): documents, not archives. */
const ZIP_DOCUMENT_FIRST_NAMES = ['[Content_Types].xml', 'mimetype', '_rels/', 'word/', 'xl/', 'ppt/', 'docProps/', 'META-INF/'];

function isZipDocument(bytes: Uint8Array): boolean {
  if (bytes.length < 30) return false;
  const nameLength = (bytes[26] ?? 0) | ((bytes[27] ?? 0) << 8);
  const name = readAscii(bytes, 30, Math.min(bytes.length, 30 + nameLength));
  return ZIP_DOCUMENT_FIRST_NAMES.some((prefix) => name.startsWith(prefix));
}

export function sniffContent(bytes: Uint8Array): SniffedContent {
  for (const signature of SIGNATURES) {
    if (matchesAt(bytes, signature.offset, signature.bytes)) {
      if (signature.format === 'zip' && isZipDocument(bytes)) return { kind: 'forbidden', format: 'office-document' };
      return { kind: signature.kind, format: signature.format };
    }
  }
  if (bytes.length >= 12 && readAscii(bytes, 4, 8) === 'ftyp') {
    const brand = readAscii(bytes, 8, 12);
    return { kind: 'forbidden', format: ISO_BMFF_IMAGE_BRANDS.has(brand) ? 'heic' : 'iso-media' };
  }
  if (bytes.length >= 12 && readAscii(bytes, 0, 4) === 'RIFF' && readAscii(bytes, 8, 12) === 'WEBP') {
    return { kind: 'forbidden', format: 'webp' };
  }
  const head = readAscii(bytes, 0, Math.min(bytes.length, 64)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && readAscii(bytes, 0, bytes.length).includes('<svg'))) {
    return { kind: 'forbidden', format: 'svg' };
  }
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    return { kind: 'forbidden', format: 'html' };
  }
  return { kind: 'unknown', format: 'unknown' };
}
