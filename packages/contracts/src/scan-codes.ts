import { z } from 'zod';
import { ARCHIVE_CODES, ENTRY_CODES, UNRECOGNIZED_REASONS, UPLOAD_HINTS } from './scan-texts.ts';

export * from './scan-texts.ts';

/**
 * The archive and entry codes of DESIGN.md, the reasons a scan stays unrecognised, and the rotations,
 * defined once with the Russian sentence a coordinator can act on. The API's error catalogue, the upload
 * list, the CLI and the web app all take their words from here.
 */

/** Archive-level faults: the whole archive is rejected. */
export const ArchiveCodeSchema = z.enum(ARCHIVE_CODES);
export type ArchiveCode = z.infer<typeof ArchiveCodeSchema>;

/** Entry-level faults: listed per entry while the good pages are processed. */
export const EntryCodeSchema = z.enum(ENTRY_CODES);
export type EntryCode = z.infer<typeof EntryCodeSchema>;

/**
 * Why a whole upload was rejected: an archive code, or — for an archive without a single page — the entry problem
 * that left it empty (an archive holding only a nested zip is `nested_archive`, not `empty_archive`).
 */
export const RejectCodeSchema = z.union([ArchiveCodeSchema, EntryCodeSchema]);
export type RejectCode = z.infer<typeof RejectCodeSchema>;

export const UnrecognizedReasonSchema = z.enum(UNRECOGNIZED_REASONS);
export type UnrecognizedReason = z.infer<typeof UnrecognizedReasonSchema>;

export const RotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof RotationSchema>;

/**
 * Likely causes of many unrecognised scans, from the page diagnostics, shown beside the instruction's warning
 * «рекомендуется пересканировать бланки и загрузить их заново».
 */
export const UploadHintSchema = z.enum(UPLOAD_HINTS);
export type UploadHint = z.infer<typeof UploadHintSchema>;
