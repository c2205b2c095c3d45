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
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Scan = z.infer<typeof ScanSchema>;

export const ScanListQuerySchema = z.object({ status: ScanStatusSchema.optional() });
export type ScanListQuery = z.infer<typeof ScanListQuerySchema>;

export const ScanListResponseSchema = z.object({ scans: z.array(ScanSchema) });
export type ScanListResponse = z.infer<typeof ScanListResponseSchema>;

/** «НОМЕР БЛАНКА» typed by a person in «Просмотр отсканированного бланка». */
export const BlankNumberInputSchema = z
  .string()
  .trim()
  .regex(/^\d{6,32}$/, 'Номер бланка — только цифры');

/** Strict: unknown fields are an error, not silently ignored. */
export const UpdateScanRequestSchema = z.strictObject({
  blankNumber: BlankNumberInputSchema.nullable().optional(),
});
export type UpdateScanRequest = z.infer<typeof UpdateScanRequestSchema>;
