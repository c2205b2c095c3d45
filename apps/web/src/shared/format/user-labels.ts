import type { Role } from '@collector/contracts';

/** Role names as the scan-centre instruction and DESIGN.md call them. */
export const ROLE_LABELS = {
  coordinator: 'региональный координатор',
  operator: 'оператор',
  admin: 'администратор',
} as const satisfies Record<Role, string>;

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/** The admin works across the country and has no region of their own. */
export function regionLabel(regionCode: string | null): string {
  return regionCode === null ? 'Все регионы' : `Регион ${regionCode}`;
}
