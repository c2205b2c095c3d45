import { z } from 'zod';

/** Anonymous callers learn only that the API is alive; signed-in users also what it runs on. */
export const HealthResponseSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']).optional(),
  queue: z.enum(['in-process', 'redis']).optional(),
  version: z.string().optional(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
