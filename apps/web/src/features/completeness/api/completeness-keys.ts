import type { CompletenessFilter, SchoolSort } from '@collector/contracts';

export interface SchoolListParams {
  event: string;
  region?: string | undefined;
  search?: string | undefined;
  sort?: SchoolSort | undefined;
  order?: 'asc' | 'desc' | undefined;
  only?: 'duplicates' | 'missing' | undefined;
}

/** Every completeness query key hangs off `['completeness']`; a change to scans or protocols invalidates that root. */
export const completenessKeys = {
  all: ['completeness'] as const,
  events: (region: string | undefined) => [...completenessKeys.all, 'events', region ?? ''] as const,
  schools: (params: SchoolListParams) => [...completenessKeys.all, 'schools', params] as const,
  school: (event: string, school: string) => [...completenessKeys.all, 'school', event, school] as const,
  kits: (event: string, school: string, filter: CompletenessFilter) => [...completenessKeys.school(event, school), 'kits', filter] as const,
  duplicates: (event: string, school: string) => [...completenessKeys.school(event, school), 'duplicates'] as const,
  empty: (event: string, school: string) => [...completenessKeys.school(event, school), 'empty'] as const,
  protocol: (event: string, school: string) => [...completenessKeys.school(event, school), 'protocol'] as const,
};

/** A query string from the set values only. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const schoolPath = (school: string) => `/api/completeness/schools/${encodeURIComponent(school)}`;
