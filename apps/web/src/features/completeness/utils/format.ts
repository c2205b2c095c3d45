import type { ProtocolState, SchoolRow, SlotState } from '@collector/contracts';

const numberFormat = new Intl.NumberFormat('ru-RU');
const percentFormat = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 });

/** «1 234» with the Russian thin grouping. */
export const n = (value: number): string => numberFormat.format(value);
export const percent = (part: number, whole: number): string => percentFormat.format(whole === 0 ? 0 : part / whole);

/**
 * The instruction's own line: «Точка проведения: sch771933 Сканов всего: 64, правильно заполненных: 28, с дублями: 29,
 * пустых: 7» — the duplicates and the empty only when there are any, as in its examples.
 */
export function schoolLine(row: Pick<SchoolRow, 'schoolCode' | 'total' | 'filled' | 'duplicates' | 'empty'>): string {
  const parts = [`Сканов всего: ${n(row.total)}`, `правильно заполненных: ${n(row.filled)}`];
  if (row.duplicates > 0) parts.push(`с дублями: ${n(row.duplicates)}`);
  if (row.empty > 0) parts.push(`пустых: ${n(row.empty)}`);
  return `Точка проведения: ${row.schoolCode} ${parts.join(', ')}`;
}

export const PROTOCOL_TEXT: Record<ProtocolState, string> = {
  awaited: 'протокол ожидается',
  overdue: 'протокол не сдан, срок прошёл',
  on_time: 'протокол сдан в срок',
  late: 'протокол сдан с опозданием',
};

export const SLOT_TEXT: Record<SlotState, string> = { filled: 'заполнен', empty: 'пустой', duplicate: 'дубль', missing: 'нет бланка' };
