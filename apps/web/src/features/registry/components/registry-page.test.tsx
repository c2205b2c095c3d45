import type { RegistryImportResponse, RegistrySummaryResponse } from '@collector/contracts';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { alerts, json, problem, render, stubApi, waitFor } from '../../../shared/test/render.tsx';
import { RegistryPage } from './registry-page.tsx';

const SUMMARY: RegistrySummaryResponse = {
  events: [
    { code: 'NIKO-2026', title: 'НИКО 2026', date: '2026-10-21', schools: 1, kits: 30, blanks: 120 },
    { code: 'VPR-SPO-2026-1', title: 'ВПР СПО 2026', date: '2026-04-15', schools: 2, kits: 150000, blanks: 600000 },
  ],
  regions: [
    { regionCode: '50', schools: 1, kits: 30, blanks: 120 },
    { regionCode: '77', schools: 2, kits: 150000, blanks: 600000 },
  ],
  schools: [
    { code: 'sch500001', regionCode: '50', events: 1, kits: 30, blanks: 120 },
    { code: 'sch771933', regionCode: '77', events: 1, kits: 100000, blanks: 400000 },
    { code: 'sch771934', regionCode: '77', events: 1, kits: 50000, blanks: 200000 },
  ],
  totals: { events: 2, schools: 3, kits: 150030, blanks: 600120 },
};

const EMPTY: RegistrySummaryResponse = { events: [], regions: [], schools: [], totals: { events: 0, schools: 0, kits: 0, blanks: 0 } };

const IMPORTED: RegistryImportResponse = {
  fileName: 'реестр.csv',
  rows: 600000,
  encoding: 'windows-1251',
  delimiter: ';',
  regions: { created: 1, unchanged: 1 },
  events: { created: 1, unchanged: 1 },
  schools: { created: 2, unchanged: 1 },
  kits: { created: 150000, updated: 2, unchanged: 28 },
  blanks: { created: 600000, unchanged: 120 },
  seconds: 61.2,
};

/** Russian grouping uses a no-break space: 600 000. */
const nbsp = (text: string) => text.replace(/(\d) (\d)/g, '$1\u00a0$2');

function tableRows(name: string): string[][] {
  const region = document.querySelector(`[role="region"][aria-label="${name}"]`);
  if (region === null) throw new Error(`no table «${name}»`);
  return [...region.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim()));
}

function csvFile(name = 'реестр.csv'): File {
  return new File(['event_code;event_title\n'], name, { type: 'text/csv' });
}

async function pick(file: File): Promise<void> {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (input === null) throw new Error('no file input');
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => input.dispatchEvent(new Event('change', { bubbles: true })));
}

async function drop(file: File): Promise<void> {
  const zone = document.querySelector('[data-testid="registry-dropzone"]');
  if (zone === null) throw new Error('no drop zone');
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { files: [file] } });
  await act(async () => zone.dispatchEvent(event));
}

describe('RegistryPage', () => {
  it('shows events, regions and schools with Russian dates and numbers', async () => {
    stubApi({ 'GET /api/registry/summary': () => json(200, SUMMARY) });
    await render(<RegistryPage />);

    await waitFor(() => expect(tableRows('Мероприятия')).toHaveLength(2));
    expect(tableRows('Мероприятия')).toEqual([
      ['NIKO-2026', 'НИКО 2026', '21.10.2026', '1', '30', '120'],
      ['VPR-SPO-2026-1', 'ВПР СПО 2026', '15.04.2026', '2', nbsp('150 000'), nbsp('600 000')],
    ]);
    expect(tableRows('Регионы')).toEqual([
      ['50', '1', '30', '120'],
      ['77', '2', nbsp('150 000'), nbsp('600 000')],
    ]);
    expect(tableRows('Точки проведения')).toHaveLength(3);
    expect(document.querySelector('.page__lead')?.textContent).toContain(nbsp('бланков: 600 120'));
  });

  it('narrows the schools to one region', async () => {
    stubApi({ 'GET /api/registry/summary': () => json(200, SUMMARY) });
    await render(<RegistryPage />);
    await waitFor(() => expect(tableRows('Точки проведения')).toHaveLength(3));

    const select = document.querySelector<HTMLSelectElement>('select');
    if (select === null) throw new Error('no region select');
    await act(async () => {
      select.value = '77';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(tableRows('Точки проведения').map((row) => row[0])).toEqual(['sch771933', 'sch771934']);
  });

  it('says the registry is empty and how to fill it', async () => {
    stubApi({ 'GET /api/registry/summary': () => json(200, EMPTY) });
    await render(<RegistryPage />);
    await waitFor(() => expect(document.querySelector('.empty-state__title')?.textContent).toBe('Реестр пока пуст'));
  });

  it('imports a dropped CSV, shows what it created and reloads the counts', async () => {
    let summary = EMPTY;
    const api = stubApi({
      'GET /api/registry/summary': () => json(200, summary),
      'POST /api/registry/import': () => {
        summary = SUMMARY;
        return json(200, IMPORTED);
      },
    });
    await render(<RegistryPage />);
    await waitFor(() => expect(document.querySelector('.empty-state')).not.toBeNull());

    await drop(csvFile());

    await waitFor(() => expect(document.querySelector('[role="status"] .alert__title')?.textContent).toBe('Реестр загружен из файла «реестр.csv»'));
    expect(api.calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual(['/api/registry/import']);
    expect(document.querySelector('[role="status"]')?.textContent).toContain(nbsp('Строк в файле: 600 000 (Windows-1251, разделитель «;»)'));
    expect(tableRows('Итог загрузки реестра')).toEqual([
      ['Мероприятия', '1', '1'],
      ['Точки проведения', '2', '1'],
      ['Комплекты', nbsp('150 000'), '28 (ещё 2 дополнено страницами)'],
      ['Бланки', nbsp('600 000'), '120'],
      ['Регионы', '1', '1'],
    ]);
    await waitFor(() => expect(tableRows('Мероприятия')).toHaveLength(2));
  });

  it('lists every bad row in Russian when the file is refused', async () => {
    stubApi({
      'GET /api/registry/summary': () => json(200, EMPTY),
      'POST /api/registry/import': () =>
        problem(422, 'registry_invalid', 'Реестр не загружен: в файле есть ошибки. Исправьте их и загрузите файл снова', {
          detail: 'Ошибок в файле: 2. Реестр не изменён.',
          errors: [
            { path: 'rows.14.blank_number', line: 14, column: 'blank_number', value: '123', message: 'номер бланка — 17 цифр' },
            { path: 'rows.20', line: 20, column: '', value: '', message: 'в строке 4 полей, а в заголовке 8: проверьте разделители (;)' },
          ],
        }),
    });
    await render(<RegistryPage />);
    await pick(csvFile('плохой.csv'));

    await waitFor(() => expect(alerts()).toHaveLength(1));
    expect(document.querySelector('[role="alert"] .alert__title')?.textContent).toBe('Реестр не загружен: в файле есть ошибки. Исправьте их и загрузите файл снова');
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('Файл «плохой.csv». Ошибок в файле: 2. Реестр не изменён.');
    expect([...document.querySelectorAll('.registry-report li')].map((item) => item.textContent)).toEqual([
      'Строка 14, столбец blank_number, значение "123": номер бланка — 17 цифр',
      'Строка 20: в строке 4 полей, а в заголовке 8: проверьте разделители (;)',
    ]);
  });

  it('asks for a CSV instead of sending an Excel workbook', async () => {
    const api = stubApi({ 'GET /api/registry/summary': () => json(200, EMPTY) });
    await render(<RegistryPage />);
    await drop(new File(['PK'], 'реестр.xlsx'));

    expect(alerts()).toEqual([
      '«реестр.xlsx» — файл Excel. Сохраните его как «CSV UTF-8 (разделитель — запятая)» или «CSV (разделители — точки с запятой)» и загрузите CSV-файл.',
    ]);
    expect(api.calls.some((call) => call.method === 'POST')).toBe(false);
  });
});
