import { z } from 'zod';
import { RegionCodeSchema } from './common.ts';
import { EntryCodeSchema, RejectCodeSchema, UploadHintSchema } from './scan-codes.ts';

export const UploadStatusSchema = z.enum(['receiving', 'queued', 'processing', 'done', 'rejected', 'failed']);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

export const UploadProblemSchema = z.object({ entryName: z.string(), code: EntryCodeSchema });
export type UploadProblem = z.infer<typeof UploadProblemSchema>;

export const UploadCountsSchema = z.object({
  total: z.number().int(),
  newScans: z.number().int(),
  recognized: z.number().int(),
  unrecognized: z.number().int(),
  duplicates: z.number().int(),
  empty: z.number().int(),
  /** pages of the archive whose bytes were already stored by an earlier upload (not new scans) */
  alreadyStored: z.number().int(),
});
export type UploadCounts = z.infer<typeof UploadCountsSchema>;

export const UploadSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** bytes received so far (equals sizeBytes once the file is in) */
  receivedBytes: z.number().int(),
  regionCode: RegionCodeSchema,
  status: UploadStatusSchema,
  /** use rejectionText(code) for the Russian sentence */
  rejectCode: RejectCodeSchema.nullable(),
  problems: z.array(UploadProblemSchema),
  ignored: z.array(z.string()),
  counts: UploadCountsSchema,
  progress: z.object({ processed: z.number().int(), total: z.number().int() }).nullable(),
  /** waiting for the person: all bytes are in but the archive was not submitted (a closed tab), or its password must be given again; answer with POST /api/uploads/:id/submit */
  passwordNeeded: z.boolean(),
  /** likely causes when more than 10 % of the scans are unrecognised */
  hints: z.array(UploadHintSchema),
  uploadedBy: z.object({ login: z.string(), fullName: z.string() }),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Upload = z.infer<typeof UploadSchema>;

export const UploadListQuerySchema = z.object({ regionCode: RegionCodeSchema.optional() });
export type UploadListQuery = z.infer<typeof UploadListQuerySchema>;

export const UploadListResponseSchema = z.object({ uploads: z.array(UploadSchema) });
export type UploadListResponse = z.infer<typeof UploadListResponseSchema>;

/** 202 of POST /api/uploads and of POST /api/uploads/:id/submit. */
export const UploadAcceptedSchema = z.object({ id: z.uuid(), status: UploadStatusSchema });
export type UploadAccepted = z.infer<typeof UploadAcceptedSchema>;

/**
 * After a resumable (tus) upload has all its bytes: the archive password, if any, travels here once and is
 * never written to disk in plain text. Also used to give the password again when `passwordNeeded`.
 */
export const SubmitUploadRequestSchema = z.strictObject({ password: z.string().max(1000).optional() });
export type SubmitUploadRequest = z.infer<typeof SubmitUploadRequestSchema>;

/** Largest archive accepted: 250 × 1024 × 1024 bytes («Выберите файл размером до 250 МБ»). */
export const MAX_ARCHIVE_BYTES = 250 * 1024 * 1024;

/** Where the browser's resumable uploads go (the tus protocol, v1.0.0). */
export const TUS_ENDPOINT = '/api/uploads/tus';

export const RegionSchema = z.object({ code: RegionCodeSchema, name: z.string() });
export type Region = z.infer<typeof RegionSchema>;
export const RegionListResponseSchema = z.object({ regions: z.array(RegionSchema) });
export type RegionListResponse = z.infer<typeof RegionListResponseSchema>;
