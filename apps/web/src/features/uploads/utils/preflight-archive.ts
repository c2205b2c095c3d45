import { ARCHIVE_CODE_TEXT, ENTRY_CODE_TEXT, MAX_ARCHIVE_BYTES } from '@collector/contracts';
import type { ArchiveCode, EntryCode } from '@collector/contracts';
import type * as ZipJs from '@zip.js/zip.js/lib/zip-native.js';
import type { Entry } from '@zip.js/zip.js/lib/zip-native.js';
import { decodeEntryName } from '@collector/contracts/entry-names';
import { classifyEntryName, isSplitPartName } from './entry-names.ts';

/** Stops the file: sending it could only end in a rejection. */
export type PreflightFault = { code: ArchiveCode; text: string };

/** Shown, but the file is still sent: the server decides each entry by its content, not by its name. */
export type PreflightWarning = { code: EntryCode | 'empty_archive'; entryName: string | null; text: string };

export type PreflightVerdict = {
  faults: PreflightFault[];
  warnings: PreflightWarning[];
  /** entries that look like scanned pages (JPEG/TIFF by name) */
  pageCount: number;
  entryCount: number;
  encrypted: boolean;
};

export type PreflightOptions = {
  password?: string | undefined;
  maxBytes?: number;
};

const fault = (code: ArchiveCode): PreflightFault => ({ code, text: ARCHIVE_CODE_TEXT[code] });

/**
 * Reads only the ZIP's central directory (a few KB at the end of the file, locally) and says what
 * is wrong before a byte is sent: on a slow regional link, finding out after 250 MB is too late.
 */
export async function preflightArchive(file: Blob & { name: string }, options: PreflightOptions = {}): Promise<PreflightVerdict> {
  const maxBytes = options.maxBytes ?? MAX_ARCHIVE_BYTES;
  const verdict: PreflightVerdict = { faults: [], warnings: [], pageCount: 0, entryCount: 0, encrypted: false };
  const stop = (code: ArchiveCode) => ({ ...verdict, faults: [fault(code)] });

  if (file.size > maxBytes) return stop('archive_too_large');
  if (isSplitPartName(file.name)) return stop('multipart_archive');

  const signature = await leadingBytes(file, 4);
  if (!startsWithZipSignature(signature)) return stop('not_zip');
  // PK\x07\x08 opens the first part of a spanned archive.
  if (signature[2] === 0x07 && signature[3] === 0x08) return stop('multipart_archive');

  // zip.js is loaded when a file is first checked, not with the app; its native build uses the browser's own
  // (De)CompressionStream and no WebAssembly, which the app's Content-Security-Policy does not allow.
  const zip = await import('@zip.js/zip.js/lib/zip-native.js');
  const reader = new zip.ZipReader(new zip.BlobReader(file), {
    useWebWorkers: false,
    decodeText: (raw, encoding, type) => (type === 'filename' ? decodeEntryName(raw, encoding === 'utf-8') : undefined),
    // A `../` name is one bad entry for the server, not a reason to refuse reading the rest here.
    filenameValidation: 'tolerant',
  });
  let entries: Entry[];
  try {
    entries = await reader.getEntries();
  } catch (error) {
    return stop(error instanceof Error && error.message === zip.ERR_SPLIT_ZIP_FILE ? 'multipart_archive' : 'corrupt_archive');
  }

  const files = entries.filter((entry) => !entry.directory);
  verdict.entryCount = files.length;
  const byName = judgeNames(files.map((entry) => entry.filename));
  verdict.pageCount = byName.pageCount;
  verdict.warnings = byName.warnings;

  const encrypted = files.filter((entry) => entry.encrypted);
  verdict.encrypted = encrypted.length > 0;
  if (verdict.encrypted) {
    const password = options.password ?? '';
    if (password === '') verdict.faults.push(fault('password_required'));
    // ZipCrypto checks a password against one byte (AES against two): a wrong one slips past 1 in 256
    // entries, so a few entries are asked.
    else if (!(await opensAll(encrypted.slice(0, 3), password, zip))) verdict.faults.push(fault('wrong_password'));
  }
  await reader.close();
  return verdict;
}

/** What the names alone suggest: forbidden formats, nested archives, unsafe paths, no page at all. */
export function judgeNames(names: readonly string[]): { pageCount: number; warnings: PreflightWarning[] } {
  let pageCount = 0;
  const warnings: PreflightWarning[] = [];
  for (const name of names) {
    const kind = classifyEntryName(name);
    if (kind === 'page') pageCount += 1;
    else if (kind === 'nested_archive' || kind === 'forbidden_format' || kind === 'unsafe_path') {
      warnings.push({ code: kind, entryName: name, text: ENTRY_CODE_TEXT[kind] });
    }
  }
  if (pageCount === 0) warnings.push({ code: 'empty_archive', entryName: null, text: ARCHIVE_CODE_TEXT.empty_archive });
  return { pageCount, warnings };
}

function startsWithZipSignature(bytes: Uint8Array): boolean {
  // PK\x03\x04 (an entry), PK\x05\x06 (an empty archive), PK\x07\x08 (a spanned archive's marker)
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06) || (bytes[2] === 0x07 && bytes[3] === 0x08));
}

async function leadingBytes(file: Blob, count: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, count).arrayBuffer());
}

/**
 * Checks the password against the entry's own check value without inflating anything. Only a
 * definite «wrong password» counts: a browser without WebCrypto (plain http) leaves it to the server.
 */
type ZipModule = typeof ZipJs;

async function opensAll(entries: readonly Entry[], password: string, zip: ZipModule): Promise<boolean> {
  for (const entry of entries) {
    if (!(await opensWith(entry, password, zip))) return false;
  }
  return true;
}

async function opensWith(entry: Entry, password: string, zip: ZipModule): Promise<boolean> {
  if (entry.directory) return true;
  try {
    await entry.getData(new zip.BlobWriter(), { password, checkPasswordOnly: true, useWebWorkers: false });
    return true;
  } catch (error) {
    return !(error instanceof Error && error.message === zip.ERR_INVALID_PASSWORD);
  }
}
