import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may, deciding as each schema is built. The web app runs
// under a CSP without 'unsafe-eval', where even zod's probe for it is reported as a violation: in a browser it must
// be off before the first schema below exists (this module is the first of the contracts to run).
if ('document' in globalThis) z.config({ jitless: true });

export const RoleSchema = z.enum(['coordinator', 'operator', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Two- or three-digit region code as used in logins (`spo_coord_77`). */
export const RegionCodeSchema = z.string().regex(/^\d{2,3}$/, 'Код региона — две или три цифры');
export type RegionCode = z.infer<typeof RegionCodeSchema>;

export const IdParamsSchema = z.object({ id: z.uuid() });
export type IdParams = z.infer<typeof IdParamsSchema>;

/**
 * Text from a person: PostgreSQL cannot store the NUL character, so it is refused here with a
 * clear message instead of failing deep in the database.
 */
export function text() {
  return z.string().refine((v) => !v.includes('\u0000'), 'Недопустимый символ в тексте');
}

/** Russian messages for zod's own checks, for the API and the web app alike. */
export function setRussianMessages(): void {
  z.config(z.locales.ru());
}
