import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { signIn } from '../support/auth.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../support/credentials.ts';
import { screenshot } from '../support/screenshots.ts';

const HEADER = 'event_code;event_title;event_date;region_code;school_code;kit_number;position;blank_number';
const EVENT = 'VPR-E2E-2026';

/** Windows-1251, as Russian Excel's plain «CSV (разделители — точки с запятой)» saves the file. */
function cp1251(text: string): number[] {
  return [...text].map((char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    throw new Error(`no CP1251 byte for ${char}`);
  });
}

/** 3 schools of region 63 with 4 kits each, 4 pages a kit: 48 rows. */
function registryRows(): string[] {
  const rows: string[] = [];
  for (let school = 0; school < 3; school += 1) {
    for (let kit = 0; kit < 4; kit += 1) {
      for (let position = 1; position <= 4; position += 1) {
        const kitNumber = String(630001 + school * 4 + kit);
        rows.push(`${EVENT};ВПР СПО 2026 по русскому языку;15.04.2026;63;sch63190${String(school)};${kitNumber};${String(position)};2003119263${kitNumber.slice(2)}00${String(position)}`);
      }
    }
  }
  return rows;
}

/** Drops a file onto the zone the way a file manager does (a DataTransfer carrying a File). */
async function dropFile(page: Page, zone: Locator, name: string, bytes: number[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ fileName, content }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(content)], fileName, { type: 'text/csv' }));
      return transfer;
    },
    { fileName: name, content: bytes },
  );
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(found).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the admin drops the registry CSV on «Реестр» and sees its events, schools and kits', async ({ page }, testInfo) => {
  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Реестр' }).click();
  await expect(page).toHaveURL('/registry');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Реестр');
  const zone = page.getByTestId('registry-dropzone');
  await expect(zone.getByRole('button', { name: 'Выберите CSV-файл' })).toBeVisible();

  const rows = registryRows();
  await dropFile(page, zone, 'реестр ВПР 63.csv', cp1251([HEADER, ...rows].join('\r\n') + '\r\n'));

  const done = page.getByRole('status').filter({ hasText: 'Реестр загружен из файла «реестр ВПР 63.csv»' });
  await expect(done).toBeVisible();
  await expect(done).toContainText('Строк в файле: 48 (Windows-1251, разделитель «;»)');
  const counts = page.getByRole('region', { name: 'Итог загрузки реестра' });
  await expect(counts.getByRole('row', { name: /^Бланки/ })).toHaveText(/Бланки\s*48\s*0/);
  await expect(counts.getByRole('row', { name: /^Комплекты/ })).toHaveText(/Комплекты\s*12\s*0/);

  const events = page.getByRole('region', { name: 'Мероприятия' });
  await expect(events.getByRole('row', { name: new RegExp(EVENT) })).toHaveText(new RegExp(`${EVENT}\\s*ВПР СПО 2026 по русскому языку\\s*15\\.04\\.2026\\s*3\\s*12\\s*48`));
  await expect(page.getByRole('region', { name: 'Регионы' }).getByRole('row', { name: /^63/ })).toHaveText(/^63\s*3\s*12\s*48$/);
  await expectNoAxeViolations(page);
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'registry-imported');

  // The same file again changes nothing; a file with a bad row changes nothing and says which row.
  await dropFile(page, zone, 'реестр ВПР 63.csv', cp1251([HEADER, ...rows].join('\r\n') + '\r\n'));
  await expect(page.getByRole('status').filter({ hasText: 'Всё это уже было в реестре — ничего не изменилось.' })).toBeVisible();

  const bad = [HEADER, `${EVENT};ВПР СПО 2026 по русскому языку;15.04.2026;63;sch631900;630099;1;123`, `${EVENT};ВПР СПО 2026 по русскому языку;15.04.2026;64;sch631900;630098;1;20031192630098001`];
  await dropFile(page, zone, 'реестр с ошибками.csv', cp1251(bad.join('\r\n') + '\r\n'));
  const report = page.getByRole('list', { name: 'Ошибки в файле реестра' });
  await expect(report.getByRole('listitem')).toHaveText([
    'Строка 2, столбец blank_number, значение "123": номер бланка — 17 цифр',
    'Строка 3, столбец region_code, значение "64": точка проведения sch631900 уже есть в реестре в регионе 63',
  ]);
  await expect(page.getByRole('alert')).toContainText('Реестр не изменён.');
  await expect(events.getByRole('row', { name: new RegExp(EVENT) })).toContainText('48');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'registry-report');

  await page.setViewportSize({ width: 768, height: 1024 });
  await expect(report).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'registry-report');
});
