// Errors, limits, defaults.
export * from './errors.ts';
export * from './options.ts';
export { DEFAULT_ARCHIVE_LIMITS, MAX_ENTRY_BYTES, RATIO_CHECK_FLOOR_BYTES } from './archive/archive-limits.ts';
export type { ArchiveLimits } from './archive/archive-limits.ts';

// Page side: one image → its pages' analyses; the batch-level fill decision.
export type * from './shared/types.ts';
export { analyseImage, DEFAULT_BARCODE_BUDGET_MS, renderUprightPage } from './page/analyse-image.ts';
export { finaliseFill, fitToTemplate, formTurn, judgeAgainstTemplate, learnFillTemplate } from './fill/finalise-fill.ts';
export { createSignatureStore } from './fill/signature-store.ts';
export type { SignatureStore } from './fill/signature-store.ts';
export { makeThumbnail, THUMBNAIL_WIDTH, turnJpeg } from './image/sharp-codec.ts';
export { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from './shared/diagnostics.ts';
export { turnImageHash } from './image/turn-image-hash.ts';
export type { FinaliseFillOptions } from './fill/finalise-fill.ts';

// Archive side: whole-archive check, archive reading entry by entry, upload spooling, the page pool.
export { scanArchive } from './scan-archive.ts';
export type { PageSummary, ScanArchiveOptions, ScanCounts, ScanEntry, ScanProfile, ScanProgress, ScanResult, ScannedPage, Verdict } from './scan-archive.ts';
export { openArchive } from './archive/open-archive.ts';
export type { ArchiveEntry, OpenArchiveOptions, OpenedArchive } from './archive/open-archive.ts';
export { readArchiveEntries } from './archive/read-archive-entries.ts';
export type { EntryOutcome, IgnoredReason } from './archive/read-archive-entries.ts';
export { spoolUpload } from './archive/spool-upload.ts';
export type { SpooledUpload, SpoolUploadOptions } from './archive/spool-upload.ts';
export { sniffContent } from './archive/sniff-content.ts';
export type { ContentKind, SniffedContent } from './archive/sniff-content.ts';
export { createPageAnalyser } from './pool/create-page-analyser.ts';
export { collectYoungGarbage } from './pool/collect-garbage.ts';
export type { PageAnalyser, PageAnalyserOptions } from './pool/create-page-analyser.ts';
export { toScanCheckJson } from './cli/to-scan-check-json.ts';
