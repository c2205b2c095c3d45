import { z } from 'zod';
import { RegionCodeSchema } from './common.ts';

/** The registry CSV's columns, as DESIGN.md names them; the header row may list them in any order. */
export const REGISTRY_COLUMNS = [
  'event_code',
  'event_title',
  'event_date',
  'region_code',
  'school_code',
  'kit_number',
  'position',
  'blank_number',
] as const;
export const RegistryColumnSchema = z.enum(REGISTRY_COLUMNS);
export type RegistryColumn = z.infer<typeof RegistryColumnSchema>;

/**
 * One bad row of a rejected registry file, in the problem's `errors`: the line of the file (the header
 * is line 1), the column, the value as written and why, in Russian.
 */
export const RegistryRowErrorSchema = z.object({
  path: z.string(),
  line: z.number().int(),
  column: z.string(),
  value: z.string(),
  message: z.string(),
});
export type RegistryRowError = z.infer<typeof RegistryRowErrorSchema>;

const CreatedUnchangedSchema = z.object({ created: z.number().int(), unchanged: z.number().int() });

/** What an import did. Importing the same file again gives only `unchanged` counts. */
export const RegistryImportResponseSchema = z.object({
  fileName: z.string(),
  /** data rows read (the header not counted) */
  rows: z.number().int(),
  encoding: z.enum(['utf-8', 'windows-1251']),
  delimiter: z.enum([',', ';']),
  regions: CreatedUnchangedSchema,
  events: CreatedUnchangedSchema,
  schools: CreatedUnchangedSchema,
  /** `updated`: kits whose number of slots grew because the file has pages past the known ones */
  kits: CreatedUnchangedSchema.extend({ updated: z.number().int() }),
  blanks: CreatedUnchangedSchema,
  seconds: z.number(),
});
export type RegistryImportResponse = z.infer<typeof RegistryImportResponseSchema>;

export const RegistryEventSummarySchema = z.object({
  code: z.string(),
  title: z.string(),
  /** YYYY-MM-DD */
  date: z.string(),
  schools: z.number().int(),
  kits: z.number().int(),
  blanks: z.number().int(),
});
export type RegistryEventSummary = z.infer<typeof RegistryEventSummarySchema>;

export const RegistryRegionSummarySchema = z.object({
  regionCode: RegionCodeSchema,
  schools: z.number().int(),
  kits: z.number().int(),
  blanks: z.number().int(),
});
export type RegistryRegionSummary = z.infer<typeof RegistryRegionSummarySchema>;

export const RegistrySchoolSummarySchema = z.object({
  code: z.string(),
  regionCode: RegionCodeSchema,
  events: z.number().int(),
  kits: z.number().int(),
  blanks: z.number().int(),
});
export type RegistrySchoolSummary = z.infer<typeof RegistrySchoolSummarySchema>;

/** «Реестр»: what is loaded, by event, by region and by school. */
export const RegistrySummaryResponseSchema = z.object({
  events: z.array(RegistryEventSummarySchema),
  regions: z.array(RegistryRegionSummarySchema),
  schools: z.array(RegistrySchoolSummarySchema),
  totals: z.object({ events: z.number().int(), schools: z.number().int(), kits: z.number().int(), blanks: z.number().int() }),
});
export type RegistrySummaryResponse = z.infer<typeof RegistrySummaryResponseSchema>;

/** «Строка 14, столбец blank_number, значение "123": номер бланка — 17 цифр», the same in the API, the CLI and the web. */
export function describeRegistryRowError(error: Pick<RegistryRowError, 'line' | 'column' | 'value' | 'message'>): string {
  if (error.column === '') return `Строка ${String(error.line)}: ${error.message}`;
  if (error.value === '') return `Строка ${String(error.line)}, столбец ${error.column}: ${error.message}`;
  return `Строка ${String(error.line)}, столбец ${error.column}, значение "${error.value}": ${error.message}`;
}
