import { z } from 'zod';
import { RegionCodeSchema } from './common.ts';

export const UploadStatusSchema = z.enum(['receiving', 'queued', 'processing', 'done', 'rejected', 'failed']);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

export const UploadProblemSchema = z.object({ entryName: z.string(), code: z.string() });
export type UploadProblem = z.infer<typeof UploadProblemSchema>;

export const UploadCountsSchema = z.object({
  total: z.number().int(),
  newScans: z.number().int(),
  recognized: z.number().int(),
  unrecognized: z.number().int(),
  duplicates: z.number().int(),
  empty: z.number().int(),
});
export type UploadCounts = z.infer<typeof UploadCountsSchema>;

export const UploadSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  regionCode: RegionCodeSchema,
  status: UploadStatusSchema,
  rejectCode: z.string().nullable(),
  problems: z.array(UploadProblemSchema),
  ignored: z.array(z.string()),
  counts: UploadCountsSchema,
  progress: z.object({ processed: z.number().int(), total: z.number().int() }).nullable(),
  uploadedBy: z.object({ login: z.string(), fullName: z.string() }),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Upload = z.infer<typeof UploadSchema>;

export const UploadListQuerySchema = z.object({ regionCode: RegionCodeSchema.optional() });
export type UploadListQuery = z.infer<typeof UploadListQuerySchema>;

export const UploadListResponseSchema = z.object({ uploads: z.array(UploadSchema) });
export type UploadListResponse = z.infer<typeof UploadListResponseSchema>;
