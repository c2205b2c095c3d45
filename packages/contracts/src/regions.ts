import { z } from 'zod';
import { RegionCodeSchema, text } from './common.ts';
import { RegionSchema } from './uploads.ts';

/** An admin adds a region that the seeded list of ФИС ОКО codes lacks. */
export const CreateRegionRequestSchema = z.object({
  code: RegionCodeSchema,
  name: text().trim().min(2, 'Введите название региона').max(200),
});
export type CreateRegionRequest = z.infer<typeof CreateRegionRequestSchema>;

export const CreateRegionResponseSchema = z.object({ region: RegionSchema });
export type CreateRegionResponse = z.infer<typeof CreateRegionResponseSchema>;
