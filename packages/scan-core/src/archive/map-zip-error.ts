import {
  ERR_ENCRYPTED,
  ERR_ENCRYPTED_CENTRAL_DIRECTORY,
  ERR_INVALID_PASSWORD,
  ERR_SPLIT_ZIP_FILE,
  ERR_UNSUPPORTED_ENCRYPTION,
} from '@zip.js/zip.js';
import { ScanError, isScanError } from '../errors.ts';
import type { ArchiveCode } from '../errors.ts';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns what zip.js throws while opening an archive into our archive-level verdict. Anything zip.js cannot
 * name more precisely means the archive is damaged beyond reading.
 */
export function mapZipError(error: unknown, hasPassword: boolean): ScanError {
  if (isScanError(error)) return error;
  const message = errorMessage(error);
  const passwordCode: ArchiveCode = hasPassword ? 'wrong_password' : 'password_required';
  if (message === ERR_SPLIT_ZIP_FILE) return new ScanError('multipart_archive', 'a part of a split archive', { cause: error });
  if (message === ERR_ENCRYPTED) return new ScanError('password_required', 'the archive is encrypted', { cause: error });
  if (message === ERR_INVALID_PASSWORD) return new ScanError(passwordCode, 'the password does not open the archive', { cause: error });
  if (message === ERR_ENCRYPTED_CENTRAL_DIRECTORY || message === ERR_UNSUPPORTED_ENCRYPTION) {
    // PKWARE "strong encryption": no tool here can open it, whatever the password.
    return new ScanError(passwordCode, 'the archive uses an encryption scheme that cannot be opened', { cause: error });
  }
  return new ScanError('corrupt_archive', `the archive cannot be read: ${message}`, { cause: error });
}
