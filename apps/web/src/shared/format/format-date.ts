const dateTimeFormat = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short' });

/** «27.11.2026, 09:38» in the person's own time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return dateTimeFormat.format(date);
}

const dayFormat = new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC' });

/** A calendar day sent as «2026-04-15» shown as «15.04.2026», whatever the time zone. */
export function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return '—';
  return dayFormat.format(date);
}
