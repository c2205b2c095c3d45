import { ENTRY_CODE_TEXT, RESCAN_RECOMMENDED_SHARE, UNRECOGNIZED_REASON_TEXT, rejectionText } from '@collector/contracts/scan-texts';
import type { ScanEntry, ScanResult } from '../scan-archive.ts';

/** The codes' Russian sentences are the collector's own (packages/contracts), the same words the upload list shows. */
type EntryCode = keyof typeof ENTRY_CODE_TEXT;
type RejectCode = Parameters<typeof rejectionText>[0];

function entryText(code: string | null): string {
  return code !== null && code in ENTRY_CODE_TEXT ? ENTRY_CODE_TEXT[code as EntryCode] : '';
}

const VERDICT_TEXT: Record<ScanResult['verdict'], string> = {
  accepted: 'ПРИНЯТ',
  accepted_with_problems: 'ПРИНЯТ С ЗАМЕЧАНИЯМИ',
  rejected: 'ОТКЛОНЁН',
};

function outcome(entry: ScanEntry): string {
  if (entry.kind === 'ignored') return `пропущен (${entry.detail ?? 'служебный файл'})`;
  if (entry.kind === 'problem') return `${entry.problem ?? ''}: ${entryText(entry.problem ?? null)}`;
  if (entry.blankNumber === null) return entry.analysis?.reason === 'ambiguous' ? `не распознан (${UNRECOGNIZED_REASON_TEXT.ambiguous})` : 'не распознан';
  return 'распознан';
}

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, [...cell].length)), []);
  return rows.map((row) => row.map((cell, index) => cell + ' '.repeat((widths[index] ?? 0) - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** The human report: the verdict first, then one line per page / ignored file / problem, then the counts. */
export function formatScanReport(result: ScanResult): string {
  const lines: string[] = [];
  const head = `${result.archive}: ${VERDICT_TEXT[result.verdict]}`;
  lines.push(result.code ? `${head} — ${result.code}: ${rejectionText(result.code as RejectCode)}` : head);
  if (result.entries.length > 0) {
    const rows = [['Файл', 'Стр.', 'Итог', 'Номер бланка', 'Поворот', 'Заполнение', 'Дубль']];
    for (const entry of result.entries) {
      rows.push([
        entry.path,
        entry.page === null ? '' : String(entry.page),
        outcome(entry),
        entry.blankNumber ?? '',
        entry.rotation === null ? '' : `${entry.rotation}°`,
        entry.fill === null ? '' : entry.fill === 'filled' ? 'заполнен' : 'пустой',
        entry.duplicateOf === null ? '' : entry.sameBytesAs !== null ? `копия ${entry.duplicateOf}` : `дубль ${entry.duplicateOf}`,
      ]);
    }
    lines.push('', table(rows));
  }
  const c = result.counts;
  lines.push(
    '',
    `всего: ${c.pages} распознано: ${c.recognized} нераспознано: ${c.unrecognized} пустых: ${c.empty} с дублями: ${c.duplicates} пропущено: ${c.ignored} с ошибками: ${c.problems}`,
    `время: ${result.seconds.toFixed(2)} с`,
  );
  if (c.pages > 0 && c.unrecognized / c.pages > RESCAN_RECOMMENDED_SHARE) {
    lines.push(`Более ${RESCAN_RECOMMENDED_SHARE * 100} % сканов не распознано: рекомендуется пересканировать бланки и загрузить их заново.`);
  }
  return lines.join('\n');
}
