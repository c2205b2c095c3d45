import {
  MAX_ARCHIVE_BYTES,
  MAX_COMPRESSION_RATIO,
  MAX_ENTRIES,
  MAX_UNCOMPRESSED_TOTAL_BYTES,
} from '../options.ts';

/**
 * One page file may not inflate past this. A4 at 600 dpi in 16-bit colour is ~210 MB uncompressed, and
 * MAX_PAGE_PIXELS refuses anything larger at decode time anyway; the cap keeps one entry's bytes in memory bounded.
 */
export const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/**
 * The compression ratio is only judged for entries past this size: tiny text files (desktop.ini full of
 * spaces) compress beyond 200:1 and are harmless.
 */
export const RATIO_CHECK_FLOOR_BYTES = 1024 * 1024;

/**
 * How many encrypted entries have their password checked before any page is read. ZipCrypto's check byte
 * lets a wrong password through 1 time in 256 per entry; a few entries make that vanishingly rare.
 */
export const PASSWORD_PRECHECK_ENTRIES = 8;

export interface ArchiveLimits {
  maxArchiveBytes: number;
  maxUncompressedTotalBytes: number;
  maxCompressionRatio: number;
  maxEntries: number;
  maxEntryBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: MAX_ARCHIVE_BYTES,
  maxUncompressedTotalBytes: MAX_UNCOMPRESSED_TOTAL_BYTES,
  maxCompressionRatio: MAX_COMPRESSION_RATIO,
  maxEntries: MAX_ENTRIES,
  maxEntryBytes: MAX_ENTRY_BYTES,
};

export function resolveArchiveLimits(overrides: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...overrides };
}
