import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { REGISTRY_COLUMNS, type RegistryColumn, type RegistryRowError } from '@collector/contracts';
import { type CsvError, parse } from 'csv-parse';

export type RegistryEncoding = 'utf-8' | 'windows-1251';
export type RegistryDelimiter = ',' | ';';

/** One data row of the registry file, each field checked on its own (consistency is the importer's job). */
export interface RegistryRow {
  line: number;
  eventCode: string;
  eventTitle: string;
  /** YYYY-MM-DD */
  eventDate: string;
  /** the date as written in the file, for the report */
  eventDateText: string;
  regionCode: string;
  schoolCode: string;
  kitNumber: string;
  position: number;
  blankNumber: string;
}

export interface RegistryFileInfo {
  encoding: RegistryEncoding;
  delimiter: RegistryDelimiter;
  sha256: string;
  /** data rows read, good and bad, the header not counted */
  rows: number;
}

/** The first errors in line order are kept in full; past that only counted, so a wholly wrong file cannot eat the memory. */
export const MAX_REPORTED_ERRORS = 1000;

export class RowErrors {
  readonly list: RegistryRowError[] = [];
  count = 0;
  add(line: number, column: string, value: string, message: string): void {
    this.count += 1;
    if (this.list.length < MAX_REPORTED_ERRORS) this.list.push(rowError(line, column, value, message));
  }
}

export function rowError(line: number, column: string, value: string, message: string): RegistryRowError {
  const shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
  return { path: column === '' ? `rows.${String(line)}` : `rows.${String(line)}.${column}`, line, column, value: shown, message };
}

/** Thrown when the file cannot be read as a registry at all (no header, not text); the line says where. */
export class RegistryFileError extends Error {
  readonly error: RegistryRowError;
  constructor(error: RegistryRowError) {
    super(error.message);
    this.name = 'RegistryFileError';
    this.error = error;
  }
}

/**
 * Excel saves «CSV UTF-8» with a BOM and plain «CSV» in the Windows code page (CP1251 for Russian).
 * Anything that is not valid UTF-8 is taken as CP1251; one pass over the file decides, and hashes it.
 */
async function detectEncoding(filePath: string): Promise<{ encoding: RegistryEncoding; sha256: string; headerLine: string }> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  let valid = true;
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (head.length < 64 * 1024) head = Buffer.concat([head, chunk.subarray(0, 64 * 1024)]);
    if (valid) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
    }
  }
  if (valid) {
    try {
      utf8.decode();
    } catch {
      valid = false;
    }
  }
  const encoding: RegistryEncoding = valid ? 'utf-8' : 'windows-1251';
  // the head may end inside a UTF-8 sequence: decode leniently, only its first line matters
  const text = new TextDecoder(encoding).decode(head);
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  return { encoding, sha256: hash.digest('hex'), headerLine };
}

function normaliseHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase();
}

/** Excel writes «;» where the decimal separator is a comma (Russian settings), «,» elsewhere. */
function detectDelimiter(headerLine: string): RegistryDelimiter {
  const known = (delimiter: string) =>
    headerLine.split(delimiter).filter((name) => (REGISTRY_COLUMNS as readonly string[]).includes(normaliseHeader(name.replace(/"/g, '')))).length;
  return known(';') > known(',') ? ';' : ',';
}

function decodingStream(encoding: RegistryEncoding): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_RU = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const SCHOOL_CODE = /^[\p{L}\p{N}._-]{1,64}$/u;
const EXPONENT = /^\d+([.,]\d+)?e\+?\d+$/i;
// control characters (NUL included) have no place in a registry and PostgreSQL refuses NUL
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

export const MAX_POSITION = 999;

function isoDate(value: string): string | 'bad_format' | 'no_such_date' {
  const iso = DATE_ISO.exec(value);
  const ru = iso ? null : DATE_RU.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : ru ? [ru[3], ru[2], ru[1]] : null;
  if (!parts) return 'bad_format';
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'no_such_date';
  return `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const EXCEL_TEXT_HINT = 'Excel мог убрать ведущие нули: задайте столбцу формат «Текстовый» и сохраните файл снова';

/** Checks one field; returns the Russian reason it is wrong, or null. */
function fieldProblem(column: RegistryColumn, value: string): string | null {
  if (value === '') return 'пустое значение';
  if (CONTROL.test(value)) return 'недопустимый управляющий символ';
  switch (column) {
    case 'event_code':
      return value.length > 64 ? 'код мероприятия — не длиннее 64 символов' : null;
    case 'event_title':
      return value.length > 500 ? 'название мероприятия — не длиннее 500 символов' : null;
    case 'event_date': {
      const date = isoDate(value);
      if (date === 'bad_format') return 'дата — в виде 2026-04-15 или 15.04.2026';
      if (date === 'no_such_date') return 'такой даты нет в календаре';
      return null;
    }
    case 'region_code':
      if (/^\d{2,3}$/.test(value)) return null;
      return /^\d$/.test(value) ? `код региона — две или три цифры; ${EXCEL_TEXT_HINT}` : 'код региона — две или три цифры';
    case 'school_code':
      return SCHOOL_CODE.test(value) ? null : 'код точки проведения — буквы, цифры, точка, дефис или подчёркивание, без пробелов, до 64 символов';
    case 'kit_number':
      if (/^\d{6}$/.test(value)) return null;
      return /^\d{1,5}$/.test(value) ? `номер комплекта — 6 цифр; ${EXCEL_TEXT_HINT}` : 'номер комплекта — 6 цифр';
    case 'position':
      return /^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_POSITION ? null : `позиция — целое число от 1 до ${String(MAX_POSITION)}`;
    case 'blank_number':
      if (/^\d{17}$/.test(value)) return null;
      if (EXPONENT.test(value)) return 'номер бланка — 17 цифр; Excel записал его в экспоненциальном виде: задайте столбцу формат «Текстовый» и сохраните файл снова';
      return 'номер бланка — 17 цифр';
  }
}

function csvProblem(error: CsvError | undefined): RegistryRowError {
  const code = error?.code ?? '';
  const line = typeof error?.lines === 'number' && error.lines > 0 ? error.lines : 1;
  const message =
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'кавычка открыта и не закрыта до конца файла: проверьте кавычки в этой строке и выше'
      : code === 'CSV_MAX_RECORD_SIZE'
        ? 'строка слишком длинная: вероятно, не закрыта кавычка'
        : 'лишняя кавычка внутри значения: значение с кавычками целиком заключается в кавычки, а кавычки внутри удваиваются ("")';
  return rowError(line, '', '', message);
}

/**
 * Streams a registry CSV: UTF-8 (with or without BOM) or CP1251, «,» or «;», quoted fields, a header
 * naming the columns in any order. Each good row goes to `onRow` as soon as it is read; each bad
 * field is reported to `errors`. Throws RegistryFileError when the file is not a registry at all.
 */
export async function readRegistryCsv(filePath: string, errors: RowErrors, onRow: (row: RegistryRow) => void): Promise<RegistryFileInfo> {
  const { encoding, sha256, headerLine } = await detectEncoding(filePath);
  if (headerLine.trim() === '') {
    throw new RegistryFileError(rowError(1, '', '', 'файл пуст: первой строкой нужен заголовок с названиями столбцов'));
  }
  const delimiter = detectDelimiter(headerLine);

  // set from the parser's callback, so kept in an object TypeScript does not narrow away
  const stop: { at: RegistryRowError | null } = { at: null };
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Excel leaves rows of bare delimiters («;;;;;;;») under a table that was edited
    skip_records_with_empty_values: true,
    max_record_size: 64 * 1024,
    // a stray quote leaves the rest of the file unreadable: note where it went wrong, read no further
    skip_records_with_error: true,
    on_skip: (error) => {
      stop.at ??= csvProblem(error);
      return undefined;
    },
  });
  const source = createReadStream(filePath).pipe(decodingStream(encoding));
  source.pipe(parser);
  source.on('error', (error) => parser.destroy(error));

  let columnIndex: Record<RegistryColumn, number> | null = null;
  let width = 0;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (stop.at && line >= stop.at.line) continue;
      if (columnIndex === null) {
        const names = record.map(normaliseHeader);
        const missing = REGISTRY_COLUMNS.filter((column) => !names.includes(column));
        const doubled = REGISTRY_COLUMNS.filter((column) => names.indexOf(column) !== names.lastIndexOf(column));
        if (missing.length > 0 || doubled.length > 0) {
          const why = [
            missing.length > 0 ? `нет столбцов ${missing.join(', ')}` : '',
            doubled.length > 0 ? `столбцы ${doubled.join(', ')} повторяются` : '',
          ]
            .filter(Boolean)
            .join('; ');
          throw new RegistryFileError(
            rowError(line, '', record.join(delimiter), `первой строкой нужен заголовок: ${REGISTRY_COLUMNS.join(delimiter)} (в любом порядке); ${why}`),
          );
        }
        columnIndex = Object.fromEntries(REGISTRY_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<RegistryColumn, number>;
        width = names.length;
        continue;
      }
      rows += 1;
      const index = columnIndex;
      const fields = {} as Record<RegistryColumn, string>;
      let bad = false;
      if (record.length < width && REGISTRY_COLUMNS.some((column) => index[column] >= record.length)) {
        errors.add(line, '', record.join(delimiter), `в строке ${String(record.length)} полей, а в заголовке ${String(width)}: проверьте разделители (${delimiter})`);
        continue;
      }
      for (const column of REGISTRY_COLUMNS) {
        const value = (record[index[column]] ?? '').trim();
        fields[column] = value;
        const problem = fieldProblem(column, value);
        if (problem !== null) {
          errors.add(line, column, value, problem);
          bad = true;
        }
      }
      if (bad) continue;
      onRow({
        line,
        eventCode: fields.event_code,
        eventTitle: fields.event_title,
        eventDate: isoDate(fields.event_date),
        eventDateText: fields.event_date,
        regionCode: fields.region_code,
        schoolCode: fields.school_code,
        kitNumber: fields.kit_number,
        position: Number(fields.position),
        blankNumber: fields.blank_number,
      });
    }
  } finally {
    source.destroy();
  }
  const stoppedAt = stop.at;
  if (columnIndex === null) {
    throw new RegistryFileError(stoppedAt ?? rowError(1, '', '', 'файл пуст: первой строкой нужен заголовок с названиями столбцов'));
  }
  if (stoppedAt) errors.add(stoppedAt.line, stoppedAt.column, stoppedAt.value, stoppedAt.message);
  return { encoding, delimiter, sha256, rows };
}
