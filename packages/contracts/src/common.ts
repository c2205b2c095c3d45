import { z } from 'zod';

export const RoleSchema = z.enum(['coordinator', 'operator', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Two- or three-digit region code as used in logins (`spo_coord_77`). */
export const RegionCodeSchema = z.string().regex(/^\d{2,3}$/, 'Код региона — две или три цифры');
export type RegionCode = z.infer<typeof RegionCodeSchema>;

export const IdParamsSchema = z.object({ id: z.uuid() });
export type IdParams = z.infer<typeof IdParamsSchema>;
