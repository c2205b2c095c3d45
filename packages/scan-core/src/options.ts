/** Limits and defaults of scan-core. Callers pass overrides in an options object. */
export const MAX_ARCHIVE_BYTES = 250 * 1024 * 1024;
export const MAX_UNCOMPRESSED_TOTAL_BYTES = 4 * 1024 * 1024 * 1024;
export const MAX_COMPRESSION_RATIO = 200;
export const MAX_ENTRIES = 20_000;
/** A4 at 600 dpi in colour is ~35 Mpx; anything far beyond is hostile or broken. */
export const MAX_PAGE_PIXELS = 60_000_000;
export const DEFAULT_BLANK_PATTERN = /^\d{17}$/;
export const EXPECTED_DPI = 200;
