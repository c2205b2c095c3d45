import { z } from 'zod';

export const HealthResponseSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']),
  queue: z.enum(['in-process', 'redis']),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
