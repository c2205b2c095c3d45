/** Archive-level faults: the whole archive is rejected (DESIGN.md, "Archive rules"). */
export const ARCHIVE_CODES = [
  'archive_too_large',
  'not_zip',
  'multipart_archive',
  'password_required',
  'wrong_password',
  'corrupt_archive',
  'zip_bomb',
  'empty_archive',
] as const;
export type ArchiveCode = (typeof ARCHIVE_CODES)[number];

/** Entry-level faults: listed per entry while the good pages are processed. */
export const ENTRY_CODES = [
  'nested_archive',
  'forbidden_format',
  'unsafe_path',
  'corrupt_entry',
  'unreadable_image',
] as const;
export type EntryCode = (typeof ENTRY_CODES)[number];

export type ScanErrorCode = ArchiveCode | EntryCode;

/** The one error type scan-core throws on bad input; `code` is from the catalogue above. */
export class ScanError extends Error {
  readonly code: ScanErrorCode;
  constructor(code: ScanErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'ScanError';
    this.code = code;
  }
}

export function isScanError(error: unknown): error is ScanError {
  return error instanceof ScanError;
}
