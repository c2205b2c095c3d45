import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { APIRequestContext, Locator, Page, TestInfo } from '@playwright/test';
import { barcodePng, sharp } from '../fixtures/make-upload-fixtures.ts';
import { createUserAsAdmin, signIn } from '../support/auth.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../support/credentials.ts';
import { screenshot } from '../support/screenshots.ts';

/*
 * «Проверка комплектности сданных материалов» in the browser. State goes in through the API as a scan centre makes it:
 * the admin imports a registry of region 65 (two schools), the coordinator uploads real scans (Code 128 numbers on
 * 200 dpi pages, processed by the server): every page of kit 650001, a second scan of its first page (a duplicate,
 * so the school is red), two of kit 650002's three pages (one missing).
 */

const EVENT = 'VPR-COMPL-E2E';
const RED_SCHOOL = 'sch651001';
const OTHER_SCHOOL = 'sch651002';
const COORDINATOR = { login: 'spo_coord_65', password: 'Coordinator-pass-77', regionCode: '65', fullName: 'Петрова Мария Ивановна' };
const KITS: [school: string, kit: number, pages: number][] = [
  [RED_SCHOOL, 650001, 3],
  [RED_SCHOOL, 650002, 3],
  [OTHER_SCHOOL, 650101, 2],
];
const blankNumber = (kit: number, position: number) => `2026041565${String(kit).slice(2)}00${String(position)}`.slice(0, 17);

/** An A4 200 dpi answer sheet with its blank number, and handwriting strokes when filled. */
async function drawPage(file: string, blank: string, seed: number, filled: boolean): Promise<void> {
  const strokes = filled
    ? Array.from({ length: 18 }, (_, i) => {
        const y = 560 + i * 90;
        const x = 180 + ((seed * 53 + i * 31) % 200);
        return `<path d="M${x} ${y} q 60 -50 120 0 t 120 0 t 120 0 t ${100 + ((seed + i) % 5) * 40} 0" stroke="#111" stroke-width="6" fill="none"/>`;
      }).join('')
    : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="2339"><rect width="100%" height="100%" fill="#fff"/>
    <rect x="120" y="120" width="1414" height="260" fill="none" stroke="#000" stroke-width="4"/>
    <text x="160" y="230" font-family="DejaVu Sans, sans-serif" font-size="56">ВПР · бланк ответов</text>
    ${Array.from({ length: 16 }, (_, i) => `<rect x="150" y="${520 + i * 100}" width="1350" height="70" fill="none" stroke="#999" stroke-width="2"/>`).join('')}
    ${strokes}</svg>`;
  const barcode = await barcodePng(blank);
  await sharp(Buffer.from(svg))
    .composite([{ input: barcode.png, left: 1654 - 160 - barcode.width, top: 150 }])
    .greyscale()
    .jpeg({ quality: 80 })
    .withMetadata({ density: 200 })
    .toFile(file);
}

/** A ZIP of pages [kit, position, filled, seed], made with Info-ZIP as scan centres make them. */
async function archive(dir: string, name: string, pages: [number, number, boolean, number][]): Promise<Buffer> {
  const folder = path.join(dir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [kit, position, filled, seed] of pages) await drawPage(path.join(folder, `${kit}-${position}.jpg`), blankNumber(kit, position), seed, filled);
  const zip = path.join(dir, `${name}.zip`);
  rmSync(zip, { force: true });
  execFileSync('zip', ['-q', '-r', zip, '.'], { cwd: folder });
  return readFileSync(zip);
}

/**
 * Sends an archive and waits for its counts. A page the server could not read (a busy machine's reader may give up on
 * one) is filed the way a person does it in «Просмотр отсканированного бланка»: the number typed, with the scan's
 * version, so the journey always starts from every page recognised.
 */
async function upload(api: APIRequestContext, name: string, bytes: Buffer): Promise<void> {
  const res = await api.post('/api/uploads', { multipart: { file: { name: `${name}.zip`, mimeType: 'application/zip', buffer: bytes } } });
  expect(res.status(), await res.text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await expect.poll(async () => ((await (await api.get(`/api/uploads/${id}`)).json()) as { status: string }).status, { timeout: 120_000 }).toBe('done');
  const unread = (await (await api.get(`/api/uploads/${id}/scans?status=unrecognized`)).json()) as { scans: { id: string; entryName: string }[] };
  for (const scan of unread.scans) {
    const [kit = '', position = ''] = path.basename(scan.entryName, '.jpg').split('-');
    const current = await api.get(`/api/scans/${scan.id}`);
    const saved = await api.patch(`/api/scans/${scan.id}`, { headers: { 'if-match': current.headers()['etag'] ?? '"0"' }, data: { blankNumber: blankNumber(Number(kit), Number(position)) } });
    expect(saved.status(), await saved.text()).toBe(200);
  }
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Checked and photographed at the desktop width and at the 768 px tablet width. */
async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoAxeViolations(page);
    await screenshot(page, testInfo, name);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

function schoolRow(page: Page, school: string): Locator {
  return page.locator('.school-row').filter({ hasText: `Точка проведения: ${school} ` });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(300_000);
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, { ...COORDINATOR, role: 'coordinator' });
  const rows = ['event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number'];
  for (const [school, kit, pages] of KITS) {
    for (let position = 1; position <= pages; position += 1) rows.push(`${EVENT},ВПР 8 класс,15.04.2026,65,${school},${kit},${position},${blankNumber(kit, position)}`);
  }
  const imported = await admin.post('/api/registry/import', { multipart: { file: { name: 'registry-65.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\r\n')}\r\n`) } } });
  expect(imported.ok(), await imported.text()).toBe(true);
  await admin.dispose();

  const coordinator = await playwright.request.newContext({ baseURL });
  const login = await coordinator.post('/api/auth/login', { data: { login: COORDINATOR.login, password: COORDINATOR.password } });
  expect(login.status()).toBe(200);
  const dir = path.join(process.env['E2E_DATA_DIR'] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../.tmp'), 'completeness-fixtures');
  mkdirSync(dir, { recursive: true });
  await upload(coordinator, 'sch651001-aud-1', await archive(dir, 'aud-1', [[650001, 1, true, 1], [650001, 2, true, 2], [650001, 3, false, 3], [650002, 1, true, 4], [650002, 2, true, 5]]));
  await upload(coordinator, 'sch651001-rescan', await archive(dir, 'rescan', [[650001, 1, true, 41]]));
  await upload(coordinator, 'sch651002-aud-1', await archive(dir, 'aud-2', [[650101, 1, true, 7], [650101, 2, false, 8]]));
  await coordinator.dispose();
});

test('the admin opens the event, finds the red school, resolves its duplicate, filters and downloads the list', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Проверка комплектности сданных материалов' }).click();
  await expect(page).toHaveURL('/completeness');
  const events = page.getByRole('region', { name: 'Мероприятия' });
  const eventRow = events.getByRole('row').filter({ hasText: EVENT });
  await expect(eventRow).toContainText('15.04.2026');
  await expect(eventRow).toContainText('7 из 8');
  await checkScreen(page, testInfo, 'completeness-events');

  await eventRow.getByRole('link', { name: 'ВПР 8 класс' }).click();
  await expect(page).toHaveURL(`/completeness?event=${EVENT}`);
  const red = schoolRow(page, RED_SCHOOL);
  // 6 scans: kit 650001's page 1 twice (a duplicate), its pages 2 and 3, kit 650002's pages 1 and 2
  await expect(red.getByRole('button').first()).toContainText(/^Точка проведения: sch651001 Сканов всего: 6, правильно заполненных: \d, с дублями: 2/);
  await expect(red).toHaveClass(/school-row--red/);
  await expect(schoolRow(page, OTHER_SCHOOL)).not.toHaveClass(/school-row--red/);
  await page.getByLabel('Поиск точки проведения').fill('651002');
  await expect(page.locator('.school-row')).toHaveCount(1);
  await page.getByLabel('Поиск точки проведения').fill('');
  await page.getByLabel('Порядок').selectOption('duplicates:desc');
  await expect(page.locator('.school-row').first()).toContainText(RED_SCHOOL);
  await checkScreen(page, testInfo, 'completeness-schools');

  await red.getByRole('button', { name: /Точка проведения: sch651001/ }).click();
  const grid = page.getByRole('region', { name: `Комплекты точки проведения ${RED_SCHOOL}` });
  await expect(grid.getByRole('row', { name: /^650002/ })).toContainText('-');
  await expect(grid.getByRole('link', { name: /Бланк 1, .*: дубль, сканов: 2/ })).toBeVisible();
  const duplicates = page.getByRole('group', { name: `Бланк ${blankNumber(650001, 1)}` });
  await expect(duplicates.getByRole('img')).toHaveCount(2);
  await checkScreen(page, testInfo, 'completeness-school-duplicates');

  // keep the rescan: the first scan leaves, the school is no longer red
  await duplicates.getByRole('button', { name: 'Оставить этот скан' }).last().click();
  await expect(red).not.toHaveClass(/school-row--red/);
  await expect(red.getByRole('button').first()).toContainText(/^Точка проведения: sch651001 Сканов всего: 5, правильно заполненных: \d/);
  await expect(red.getByRole('button').first()).not.toContainText('с дублями');
  await expect(grid.getByRole('link', { name: /дубль/ })).toHaveCount(0);

  await red.getByRole('button', { name: 'Пустые', exact: true }).click();
  await expect(red.getByRole('button', { name: 'Пустые', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(grid.or(red.getByText('Таких бланков нет.'))).toBeVisible();
  if (await grid.isVisible()) {
    await expect(grid.getByRole('link', { name: /: (заполнен|дубль)/ })).toHaveCount(0);
    await expect(grid.getByRole('link', { name: /: пустой/ }).first()).toBeVisible();
  }
  await checkScreen(page, testInfo, 'completeness-filter-empty');
  await red.getByRole('button', { name: 'Правильно заполненные' }).click();
  await expect(grid.getByRole('link', { name: /: заполнен/ }).first()).toBeVisible();
  await expect(grid.getByRole('link', { name: /: (пустой|дубль)/ })).toHaveCount(0);
  await expect(grid.getByText('-', { exact: true })).toHaveCount(0);
  await red.getByRole('button', { name: 'Все', exact: true }).click();

  const download = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Скачать перечень точек проведения' }).getByRole('link', { name: 'Скачать XLSX' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`komplektnost-${EVENT}.xlsx`);
  const saved = await file.path();
  expect(readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Скачать перечень точек проведения' }).getByRole('link', { name: 'Скачать CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  expect(csv).toContain('Точка проведения;Регион;Наименование;Комплектов;Сканов всего;Правильно заполненных;С дублями;Пустых');
  expect(csv).toMatch(/sch651001;65;;2;5;/);
});

test('a coordinator submits the протокол проведения and sees the kit with a missing page', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, COORDINATOR.login, COORDINATOR.password);
  await page.goto(`/completeness?event=${EVENT}&school=${RED_SCHOOL}`);
  const row = schoolRow(page, RED_SCHOOL);
  await expect(row.getByRole('button', { name: /Точка проведения: sch651001/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(row).toContainText('протокол не сдан, срок прошёл');
  const form = page.getByRole('form', { name: `Протокол точки проведения ${RED_SCHOOL}` });
  await expect(form.getByRole('checkbox', { name: '650001' })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: '650002' })).toBeChecked();
  await checkScreen(page, testInfo, 'completeness-protocol-form');

  await form.getByRole('button', { name: 'Сохранить протокол' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Протокол сохранён.' })).toBeVisible();
  await expect(row).toContainText('протокол сдан с опозданием');
  await expect(row.getByText('Присутствовал, не хватает бланков: комплект 650002 (бланки 3)')).toBeVisible();
  const grid = page.getByRole('region', { name: `Комплекты точки проведения ${RED_SCHOOL}` });
  await expect(grid.getByRole('row', { name: /^650002/ }).getByLabel(/Бланк 3, .*: нет бланка/)).toHaveText('-');
  // a cell opens the scan in «Просмотр отсканированного бланка»
  await grid.getByRole('row', { name: /^650002/ }).getByRole('link', { name: /Бланк 2, / }).click();
  const viewer = page.getByRole('dialog', { name: 'Просмотр отсканированного бланка' });
  await expect(viewer).toBeVisible();
  await expect(viewer).toContainText('650002-2.jpg');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await checkScreen(page, testInfo, 'completeness-protocol-missing-page');
});
