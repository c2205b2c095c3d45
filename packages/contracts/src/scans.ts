import { z } from 'zod';
import { RotationSchema, UnrecognizedReasonSchema } from './scan-codes.ts';

export const ScanStatusSchema = z.enum(['recognized', 'unrecognized']);
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

export const ScanSchema = z.object({
  id: z.uuid(),
  uploadId: z.uuid(),
  entryName: z.string(),
  page: z.number().int(),
  status: ScanStatusSchema,
  reason: UnrecognizedReasonSchema.nullable(),
  blankNumber: z.string().nullable(),
  kitNumber: z.string().nullable(),
  position: z.number().int().nullable(),
  fill: z.enum(['filled', 'empty']),
  inkScore: z.number(),
  duplicate: z.boolean(),
  rotation: RotationSchema,
  /** bumped by every correction; send it back as `If-Match: "<version>"` when correcting (a stale one gets 409) */
  version: z.number().int(),
  /** a number the barcode gave after the page was turned: offered to the person, never filed by itself */
  offeredNumber: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Scan = z.infer<typeof ScanSchema>;

export const ScanListQuerySchema = z.object({ status: ScanStatusSchema.optional() });
export type ScanListQuery = z.infer<typeof ScanListQuerySchema>;

/** One slot of a kit in «Распознанные сканы по номеру работы»: which scans hold its blank. */
export const KitSlotSchema = z.object({
  position: z.number().int(),
  blankNumber: z.string(),
  /** live scans of this blank in this upload */
  scanIds: z.array(z.uuid()),
});
export const UploadKitSchema = z.object({
  kitNumber: z.string(),
  slots: z.number().int(),
  /** every slot of the kit from the registry, present or not */
  positions: z.array(KitSlotSchema),
});
export type UploadKit = z.infer<typeof UploadKitSchema>;

export const ScanCountsSchema = z.object({ total: z.number().int(), recognized: z.number().int(), unrecognized: z.number().int() });
export type ScanCounts = z.infer<typeof ScanCountsSchema>;

export const ScanListResponseSchema = z.object({
  scans: z.array(ScanSchema),
  /** «всего / распознано / нераспознано» of the upload's live scans (whatever the status filter) */
  counts: ScanCountsSchema,
  /** the recognised scans grouped by kit, in kit number order */
  kits: z.array(UploadKitSchema),
});
export type ScanListResponse = z.infer<typeof ScanListResponseSchema>;

/** «НОМЕР БЛАНКА» typed by a person in «Просмотр отсканированного бланка»: digits; the server checks the pattern. */
export const BlankNumberInputSchema = z
  .string()
  .trim()
  .regex(/^\d{1,64}$/, 'Номер бланка — только цифры');

/**
 * A correction: a number, or a turn (clockwise, as stored), not both at once. Strict: unknown fields are an error.
 * Send the version seen as `If-Match: "<version>"` (the scan's ETag); without it the correction is refused.
 */
/** DESIGN.md's `{blankNumber?, rotation?}`: either, or both (the page is turned first, then the number saved). */
export const UpdateScanRequestSchema = z.strictObject({
  blankNumber: BlankNumberInputSchema.nullable().optional(),
  rotation: RotationSchema.optional(),
});
export type UpdateScanRequest = z.infer<typeof UpdateScanRequestSchema>;

/** A live scan that already holds a blank (the duplicate warning names it). */
export const HoldingScanSchema = z.object({ id: z.uuid(), uploadId: z.uuid(), entryName: z.string(), uploadFileName: z.string() });
export type HoldingScan = z.infer<typeof HoldingScanSchema>;

/**
 * The version the person saw, as the scan's ETag (`"3"`); `*` means any. Without it the client is taken to have seen
 * the scan as processing stored it (version 0), so a scan a person has changed since answers 409.
 */
export const IfMatchHeadersSchema = z.object({
  'if-match': z.string().max(64).optional().describe('The scan version seen, e.g. "3" (the ETag of GET /api/scans/:id). Without it: version 0, the scan as processing stored it. A stale one gets 409'),
});

export const UpdateScanResponseSchema = ScanSchema.extend({
  /** other live scans of the same blank: the number was saved, and the blank now has duplicates */
  duplicateOf: z.array(HoldingScanSchema),
});
export type UpdateScanResponse = z.infer<typeof UpdateScanResponseSchema>;

/** «Удалить»: the scan is gone from the lists (kept for the audit log); the person is told to rescan. */
export const DeleteScanResponseSchema = z.object({ id: z.uuid(), entryName: z.string(), instruction: z.string() });
export type DeleteScanResponse = z.infer<typeof DeleteScanResponseSchema>;

export const RESCAN_INSTRUCTION = 'Скан удалён. Отсканируйте этот бланк заново и загрузите его снова';

/** The preflight of a typed number: would it be accepted, and which live scans already hold that blank. */
export const NumberCheckQuerySchema = z.object({ blankNumber: z.string().max(64) });
export const NumberCheckResponseSchema = z.object({
  blankNumber: z.string(),
  /** null when the number would be accepted; else the Russian reason it would be refused */
  problem: z.string().nullable(),
  kitNumber: z.string().nullable(),
  position: z.number().int().nullable(),
  /** live scans (other than this one) that hold this blank: saving makes duplicates */
  heldBy: z.array(HoldingScanSchema),
});
export type NumberCheckResponse = z.infer<typeof NumberCheckResponseSchema>;

export const SuggestionSourceSchema = z.enum(['barcode', 'ocr', 'neighbours', 'registry']);
export type SuggestionSource = z.infer<typeof SuggestionSourceSchema>;

export const NumberSuggestionSchema = z.object({
  blankNumber: z.string(),
  /** the strongest source; `sources` lists every one that named this blank */
  source: SuggestionSourceSchema,
  /** only where a wrong number is practically impossible; a person still confirms */
  confident: z.boolean(),
  sources: z.array(SuggestionSourceSchema),
  kitNumber: z.string().nullable(),
  position: z.number().int().nullable(),
  /** live scans other than this one already holding the blank (it would become a duplicate) */
  liveScans: z.number().int(),
});
export type NumberSuggestion = z.infer<typeof NumberSuggestionSchema>;

export const SuggestionsQuerySchema = z.object({
  /** registry autocomplete: the digits typed so far */
  prefix: z
    .string()
    .regex(/^\d{1,64}$/, 'Только цифры')
    .optional(),
});
export const SuggestionsResponseSchema = z.object({ suggestions: z.array(NumberSuggestionSchema) });
export type SuggestionsResponse = z.infer<typeof SuggestionsResponseSchema>;

export const ScanHistoryEntrySchema = z.object({
  at: z.iso.datetime(),
  action: z.enum(['scan.update', 'scan.rotate', 'scan.delete']),
  userLogin: z.string().nullable(),
  userName: z.string().nullable(),
  before: z.object({ blankNumber: z.string().nullable(), rotation: z.number().int(), status: z.string() }).nullable(),
  after: z.object({ blankNumber: z.string().nullable(), rotation: z.number().int(), status: z.string() }).nullable(),
});
export type ScanHistoryEntry = z.infer<typeof ScanHistoryEntrySchema>;
export const ScanHistoryResponseSchema = z.object({ history: z.array(ScanHistoryEntrySchema) });
export type ScanHistoryResponse = z.infer<typeof ScanHistoryResponseSchema>;

export const ImageQuerySchema = z.object({ size: z.enum(['full', 'thumb']).optional() });

/**
 * The gate of the instruction: results cannot be processed while scans stay unrecognised. An upload counts its own
 * scans; a school or an event counts the unrecognised scans of every upload holding a recognised scan of it.
 */
export const ScanGateQuerySchema = z.object({ uploadId: z.uuid().optional(), schoolCode: z.string().max(64).optional(), eventCode: z.string().max(64).optional() });
export const ScanGateSchema = z.object({
  scope: z.enum(['region', 'upload', 'school', 'event']),
  total: z.number().int(),
  unrecognized: z.number().int(),
  /** «обработка результатов» may start: no unrecognised scan left in the scope */
  readyForProcessing: z.boolean(),
});
export type ScanGate = z.infer<typeof ScanGateSchema>;
