import type { ScanEntry, ScanResult } from '../scan-archive.ts';

/** Russian wording of every code, for people at the scan centre. */
const CODE_TEXT: Record<string, string> = {
  archive_too_large: 'архив больше 250 МБ',
  not_zip: 'это не ZIP-архив',
  multipart_archive: 'многотомный архив: соберите все тома в один ZIP',
  password_required: 'архив зашифрован: укажите пароль',
  wrong_password: 'пароль не подходит',
  corrupt_archive: 'архив повреждён',
  zip_bomb: 'архив распаковывается в недопустимо большой объём',
  empty_archive: 'в архиве нет сканов JPEG или TIFF',
  nested_archive: 'архив внутри архива',
  forbidden_format: 'недопустимый формат (нужен JPEG или TIFF)',
  unsafe_path: 'недопустимое имя файла',
  corrupt_entry: 'файл в архиве повреждён',
  unreadable_image: 'изображение не читается',
};

const VERDICT_TEXT: Record<ScanResult['verdict'], string> = {
  accepted: 'ПРИНЯТ',
  accepted_with_problems: 'ПРИНЯТ С ЗАМЕЧАНИЯМИ',
  rejected: 'ОТКЛОНЁН',
};

function outcome(entry: ScanEntry): string {
  if (entry.kind === 'ignored') return `пропущен (${entry.detail ?? 'служебный файл'})`;
  if (entry.kind === 'problem') return `${entry.problem ?? ''}: ${CODE_TEXT[entry.problem ?? ''] ?? ''}`;
  if (entry.blankNumber === null) return entry.analysis?.reason === 'ambiguous' ? 'не распознан (два разных номера)' : 'не распознан';
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
  lines.push(result.code ? `${head} — ${result.code}: ${CODE_TEXT[result.code] ?? ''}` : head);
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
  if (c.pages > 0 && c.unrecognized / c.pages > 0.1) {
    lines.push('Более 10 % сканов не распознано: рекомендуется пересканировать бланки и загрузить их заново.');
  }
  return lines.join('\n');
}
