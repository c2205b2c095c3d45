import { z } from 'zod';
import { RegionCodeSchema, text } from './common.ts';

/**
 * «Проверка комплектности сданных материалов». Every live, recognised scan of a registry blank falls in exactly one
 * class, in this order: duplicate (its blank has more than one live scan), empty (no handwriting, or a person said
 * so), filled. `missing` counts registry blanks of the school's kits without a live scan.
 */
export const SlotStateSchema = z.enum(['filled', 'empty', 'duplicate', 'missing']);
export type SlotState = z.infer<typeof SlotStateSchema>;

export const CompletenessFilterSchema = z.enum(['all', 'filled', 'empty']);
export type CompletenessFilter = z.infer<typeof CompletenessFilterSchema>;

/**
 * The протокол проведения of an event × school: `awaited` (not in, not yet due), `overdue` (not in, past due),
 * `on_time`, `late` (submitted after the due time).
 */
export const ProtocolStateSchema = z.enum(['awaited', 'overdue', 'on_time', 'late']);
export type ProtocolState = z.infer<typeof ProtocolStateSchema>;

export const EventCodeParamsSchema = z.object({ event: z.string().min(1).max(64) });
export const SchoolCodeParamsSchema = z.object({ school: z.string().min(1).max(64) });

/** The counts of one school (or of a whole event): scans of each class and registry blanks without a scan. */
export const CompletenessCountsSchema = z.object({
  total: z.number().int(),
  filled: z.number().int(),
  duplicates: z.number().int(),
  empty: z.number().int(),
  missing: z.number().int(),
});
export type CompletenessCounts = z.infer<typeof CompletenessCountsSchema>;

export const CompletenessEventSchema = z.object({
  code: z.string(),
  title: z.string(),
  /** YYYY-MM-DD */
  date: z.string(),
  /** the protocol of each school is due by then (24 hours after the event's day, Moscow time) */
  protocolDueAt: z.string(),
  schools: z.number().int(),
  blanks: z.number().int(),
  /** registry blanks with at least one live scan */
  scannedBlanks: z.number().int(),
  /** schools with at least one duplicate */
  schoolsWithDuplicates: z.number().int(),
  /** unrecognised scans in the uploads that brought this event's scans: fix them before trusting the counts */
  unrecognized: z.number().int(),
  counts: CompletenessCountsSchema,
});
export type CompletenessEvent = z.infer<typeof CompletenessEventSchema>;

export const CompletenessEventsQuerySchema = z.object({ region: RegionCodeSchema.optional() });
export const CompletenessEventsResponseSchema = z.object({ events: z.array(CompletenessEventSchema) });
export type CompletenessEventsResponse = z.infer<typeof CompletenessEventsResponseSchema>;

export const SchoolRowSchema = CompletenessCountsSchema.extend({
  schoolCode: z.string(),
  regionCode: RegionCodeSchema,
  schoolName: z.string(),
  kits: z.number().int(),
  /** unrecognised scans in the uploads that brought this school's scans */
  unrecognized: z.number().int(),
  protocol: ProtocolStateSchema,
});
export type SchoolRow = z.infer<typeof SchoolRowSchema>;

export const SCHOOL_SORT_KEYS = ['schoolCode', 'total', 'filled', 'duplicates', 'empty', 'missing', 'unrecognized'] as const;
export const SchoolSortSchema = z.enum(SCHOOL_SORT_KEYS);
export type SchoolSort = z.infer<typeof SchoolSortSchema>;

export const SchoolListQuerySchema = z.object({
  /** admin only; others always see their own region */
  region: RegionCodeSchema.optional(),
  /** part of the school code or name */
  search: text().max(64).optional(),
  sort: SchoolSortSchema.default('schoolCode'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** only schools with duplicates / with blanks missing */
  only: z.enum(['duplicates', 'missing']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type SchoolListQuery = z.input<typeof SchoolListQuerySchema>;

export const SchoolListResponseSchema = z.object({
  event: CompletenessEventSchema.pick({ code: true, title: true, date: true, protocolDueAt: true }),
  /** schools matching the search and filters, before limit/offset */
  matched: z.number().int(),
  schools: z.array(SchoolRowSchema),
});
export type SchoolListResponse = z.infer<typeof SchoolListResponseSchema>;

export const KitSlotStateSchema = z.object({
  position: z.number().int(),
  blankNumber: z.string(),
  state: SlotStateSchema,
  /** the live scans of this blank: one, several for a duplicate, none when missing */
  scanIds: z.array(z.uuid()),
});
export type KitSlotState = z.infer<typeof KitSlotStateSchema>;

export const CompletenessKitSchema = z.object({ kitNumber: z.string(), slots: z.array(KitSlotStateSchema) });
export type CompletenessKit = z.infer<typeof CompletenessKitSchema>;

/** `event`: the event's code; absent → the latest event with kits at this school. */
export const SchoolEventQuerySchema = z.object({ event: z.string().min(1).max(64).optional() });

export const KitListQuerySchema = SchoolEventQuerySchema.extend({ filter: CompletenessFilterSchema.default('all') });
export type KitListQuery = z.input<typeof KitListQuerySchema>;

export const KitListResponseSchema = z.object({
  event: CompletenessEventSchema.pick({ code: true, title: true, date: true, protocolDueAt: true }),
  school: SchoolRowSchema,
  /** the number of blank columns (the largest kit's) */
  positions: z.number().int(),
  filter: CompletenessFilterSchema,
  /** with filter=filled or empty: the kits holding such a blank, with only those slots */
  kits: z.array(CompletenessKitSchema),
});
export type KitListResponse = z.infer<typeof KitListResponseSchema>;

export const CompletenessScanSchema = z.object({
  id: z.uuid(),
  blankNumber: z.string(),
  kitNumber: z.string(),
  position: z.number().int(),
  uploadId: z.uuid(),
  uploadFileName: z.string(),
  entryName: z.string(),
  /** when the scan arrived */
  createdAt: z.string(),
  /** the fill the counts use: a person's verdict when there is one */
  fill: z.enum(['filled', 'empty']),
  /** how much ink the page analysis saw (higher: more likely handwriting) */
  inkScore: z.number(),
  /** a person confirmed (or changed) the fill */
  reviewed: z.boolean(),
});
export type CompletenessScan = z.infer<typeof CompletenessScanSchema>;

export const DuplicateGroupSchema = z.object({
  blankNumber: z.string(),
  kitNumber: z.string(),
  position: z.number().int(),
  /** oldest first */
  scans: z.array(CompletenessScanSchema),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;

export const DuplicateListResponseSchema = z.object({ eventCode: z.string(), schoolCode: z.string(), groups: z.array(DuplicateGroupSchema) });
export type DuplicateListResponse = z.infer<typeof DuplicateListResponseSchema>;

/** Keep this scan of its blank; the blank's other live scans are removed (and audited). */
export const KeepDuplicateRequestSchema = z.object({ scanId: z.uuid() });
export type KeepDuplicateRequest = z.infer<typeof KeepDuplicateRequestSchema>;
export const KeepDuplicateResponseSchema = z.object({ kept: z.uuid(), removed: z.array(z.uuid()) });
export type KeepDuplicateResponse = z.infer<typeof KeepDuplicateResponseSchema>;

export const EmptyScanListResponseSchema = z.object({
  eventCode: z.string(),
  schoolCode: z.string(),
  /** the «Пустые» scans (not duplicates), most ink first: the likeliest mistakes lead */
  scans: z.array(CompletenessScanSchema),
});
export type EmptyScanListResponse = z.infer<typeof EmptyScanListResponseSchema>;

/** A person's verdict on scans' fill: `empty` confirms the «Пустые», `filled` says a page has handwriting. */
export const FillReviewRequestSchema = z.object({ scanIds: z.array(z.uuid()).min(1).max(1000), fill: z.enum(['filled', 'empty']) });
export type FillReviewRequest = z.infer<typeof FillReviewRequestSchema>;
export const FillReviewResponseSchema = z.object({ updated: z.number().int() });
export type FillReviewResponse = z.infer<typeof FillReviewResponseSchema>;

export const ProtocolEntryInputSchema = z.object({ kitNumber: z.string().regex(/^\d{1,16}$/, 'Номер комплекта — цифры'), present: z.boolean() });
export type ProtocolEntryInput = z.infer<typeof ProtocolEntryInputSchema>;

export const SubmitProtocolRequestSchema = z.object({ event: z.string().min(1).max(64), entries: z.array(ProtocolEntryInputSchema).min(1).max(10000) });
export type SubmitProtocolRequest = z.infer<typeof SubmitProtocolRequestSchema>;

/** CSV text with the columns `kit_number,present` (present: 1/0, да/нет, yes/no, true/false); `,` or `;`. */
export const ImportProtocolRequestSchema = z.object({ event: z.string().min(1).max(64), csv: text().min(1).max(2_000_000) });
export type ImportProtocolRequest = z.infer<typeof ImportProtocolRequestSchema>;

export const ProtocolKitMissingSchema = z.object({ kitNumber: z.string(), missingPositions: z.array(z.number().int()) });

/** The protocol against the scans. */
export const ProtocolReconciliationSchema = z.object({
  /** present, and every blank of the kit has a live scan */
  presentComplete: z.array(z.string()),
  /** present, with blanks that have no scan */
  presentMissing: z.array(ProtocolKitMissingSchema),
  /** marked absent, yet scans of the kit arrived */
  absentScanned: z.array(z.string()),
  /** kits with scans the protocol does not list */
  scannedNotInProtocol: z.array(z.string()),
});
export type ProtocolReconciliation = z.infer<typeof ProtocolReconciliationSchema>;

export const ProtocolResponseSchema = z.object({
  eventCode: z.string(),
  schoolCode: z.string(),
  dueAt: z.string(),
  state: ProtocolStateSchema,
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  /** the school's kits in the registry, for the form */
  kitNumbers: z.array(z.string()),
  entries: z.array(ProtocolEntryInputSchema),
  reconciliation: ProtocolReconciliationSchema,
});
export type ProtocolResponse = z.infer<typeof ProtocolResponseSchema>;

export const ExportFormatSchema = z.enum(['xlsx', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
export const SchoolListExportQuerySchema = SchoolListQuerySchema.omit({ limit: true, offset: true }).extend({ format: ExportFormatSchema.default('xlsx') });
export const KitExportQuerySchema = KitListQuerySchema.extend({ format: ExportFormatSchema.default('xlsx') });

/** The instruction's own line for a school: «Точка проведения: sch771933 Сканов всего: 64, правильно заполненных: 28, с дублями: 29, пустых: 7». */
export function schoolLine(row: Pick<SchoolRow, 'schoolCode' | 'total' | 'filled' | 'duplicates' | 'empty'>): string {
  const parts = [`Сканов всего: ${row.total}`, `правильно заполненных: ${row.filled}`];
  if (row.duplicates > 0) parts.push(`с дублями: ${row.duplicates}`);
  if (row.empty > 0) parts.push(`пустых: ${row.empty}`);
  return `Точка проведения: ${row.schoolCode} ${parts.join(', ')}`;
}
