import type { ProtocolState } from '@collector/contracts';

/** Moscow time, where the assessments' days are reckoned (UTC+3 all year). */
const MOSCOW_OFFSET_MS = 3 * 3600_000;

/**
 * A protocol is due 24 hours after the event: the end of the event's day in Moscow plus 24 hours, i.e. the start of
 * the second day after it (an event on 15 April → due 17 April 00:00 MSK = 16 April 21:00 UTC).
 */
export function protocolDueAt(eventDate: Date): Date {
  const dayStartUtc = Date.UTC(eventDate.getUTCFullYear(), eventDate.getUTCMonth(), eventDate.getUTCDate());
  return new Date(dayStartUtc + 2 * 86_400_000 - MOSCOW_OFFSET_MS);
}

export function protocolState(dueAt: Date, submittedAt: Date | null, now = new Date()): ProtocolState {
  if (submittedAt) return submittedAt.getTime() <= dueAt.getTime() ? 'on_time' : 'late';
  return now.getTime() > dueAt.getTime() ? 'overdue' : 'awaited';
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
