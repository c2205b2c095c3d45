import type { CompletenessKit, ExportFormat, SchoolRow, SlotState } from '@collector/contracts';

/** A table as a region reports it: Russian headers, one row per school or per kit. */
export interface Table {
  sheet: string;
  title: string;
  headers: string[];
  rows: (string | number)[][];
}

const PROTOCOL_TEXT: Record<SchoolRow['protocol'], string> = { awaited: 'ожидается', overdue: 'не сдан (срок прошёл)', on_time: 'сдан в срок', late: 'сдан с опозданием' };
export const SLOT_TEXT: Record<SlotState, string> = { filled: 'заполнен', empty: 'пустой', duplicate: 'дубль', missing: '-' };

export function schoolTable(eventTitle: string, rows: SchoolRow[]): Table {
  return {
    sheet: 'Точки проведения',
    title: eventTitle,
    headers: ['Точка проведения', 'Регион', 'Наименование', 'Комплектов', 'Сканов всего', 'Правильно заполненных', 'С дублями', 'Пустых', 'Не загружено бланков', 'Нераспознанных сканов', 'Протокол проведения'],
    rows: rows.map((r) => [r.schoolCode, r.regionCode, r.schoolName, r.kits, r.total, r.filled, r.duplicates, r.empty, r.missing, r.unrecognized, PROTOCOL_TEXT[r.protocol]]),
  };
}

export function kitTable(title: string, positions: number, kits: CompletenessKit[]): Table {
  return {
    sheet: 'Комплекты',
    title,
    headers: ['Номер комплекта', ...Array.from({ length: positions }, (_, i) => `Бланк ${i + 1}`)],
    rows: kits.map((kit) => {
      const cells: string[] = Array.from({ length: positions }, () => '');
      for (const slot of kit.slots) cells[slot.position - 1] = SLOT_TEXT[slot.state];
      return [kit.kitNumber, ...cells];
    }),
  };
}

function csvCell(value: string | number): string {
  const text = String(value);
  // a leading = + - @ would be a formula to a spreadsheet: quoted with a leading apostrophe (OWASP CSV injection)
  const safe = /^[=+@\t\r]/.test(text) || (/^-./.test(text) && !/^-?\d/.test(text)) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV as a Russian-locale spreadsheet opens it: UTF-8 with a byte-order mark, `;` between cells, CRLF lines. */
export function toCsv(table: Table): Buffer {
  const lines = [table.headers, ...table.rows].map((row) => row.map(csvCell).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(table: Table): Promise<Buffer> {
  // loaded with the first spreadsheet asked for: exceljs costs a server that never exports about 8 MB of heap
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Коллектор';
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow([table.title]).font = { bold: true };
  const header = sheet.addRow(table.headers);
  header.font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = Math.max(10, Math.min(40, (table.headers[i]?.length ?? 8) + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export async function renderTable(table: Table, format: ExportFormat): Promise<Buffer> {
  return format === 'xlsx' ? toXlsx(table) : toCsv(table);
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\w.-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
