import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import type { Scan, ScanListResponse } from '@collector/contracts';
// the API tests' page makers: a clean blank, and one whose code is scratched out while its printed digits survive
import { makeBlankPage } from '../../apps/api/test/fixtures/make-blank-page.ts';
import { makeDamagedBlankPage } from '../../apps/api/test/fixtures/make-damaged-blank-page.ts';
import { createUserAsAdmin, signIn } from '../support/auth.ts';
import { screenshot } from '../support/screenshots.ts';

const REGION = '61';
const COORDINATOR = { login: 'spo_coord_61', password: 'Coordinator-pass-77', regionCode: REGION, fullName: 'Петрова Ольга Ивановна' };
const OPERATOR = { login: 'op_61_sidorov', password: 'Operator-queue-2026', regionCode: REGION, fullName: 'Сидоров Пётр Андреевич' };
const EVENT = 'VPR-SPO-2026-61';
const blankNumber = (kit: number, position: number) => `20031192461${String(kit).slice(-5)}${position}`;

// Other journeys running at the same time clear test-results/, which takes a live trace's files with it; this
// journey's evidence is its screenshots.
test.use({ trace: 'off' });

const dataDir = process.env['E2E_DATA_DIR'] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp');

/** WCAG 2.1 AA, as axe-core checks it: none allowed. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(found).toEqual([]);
}

/** Tab (never the mouse) until the control has focus. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('the control was never reached with Tab');
}

async function uploadArchive(api: APIRequestContext): Promise<string> {
  const dir = path.join(dataDir, 'scan-correction');
  mkdirSync(path.join(dir, 'Аудитория 5'), { recursive: true });
  const pages: Array<[string, Promise<Buffer>]> = [
    // upside down in the scanner, its code scratched out, nothing else printed on the sheet: nothing tells the
    // pipeline which way is up, so the person turns it
    ['Аудитория 5/002.jpg', makeDamagedBlankPage({ blankNumber: blankNumber(610001, 2), filled: false, seed: 44, lostDigits: 1, lostAs: 'rubbed', rotation: 180, onlyCode: true })],
    // a code rubbed out together with most of its digits: the operator types the number from the paper
    ['Аудитория 5/004.jpg', makeDamagedBlankPage({ blankNumber: blankNumber(610002, 1), filled: true, seed: 104, lostDigits: 9, lostAs: 'blot' })],
    ['Аудитория 5/005.jpg', makeBlankPage({ blankNumber: null, filled: false, seed: 105 })],
  ];
  for (const [name, bytes] of pages) writeFileSync(path.join(dir, name), await bytes);
  const archive = path.join(dir, 'Аудитория 5.zip');
  execFileSync('zip', ['-q', '-X', '-r', archive, ...pages.map(([n]) => n)], { cwd: dir });
  const { readFileSync } = await import('node:fs');
  const sent = await api.post('/api/uploads', { multipart: { file: { name: 'Аудитория 5.zip', mimeType: 'application/zip', buffer: readFileSync(archive) } } });
  expect(sent.status(), await sent.text()).toBe(202);
  const { id } = (await sent.json()) as { id: string };
  await expect
    .poll(async () => ((await (await api.get(`/api/uploads/${id}`)).json()) as { status: string }).status, { timeout: 120_000 })
    .toBe('done');
  return id;
}

test('an operator works the queue of unrecognised scans with the keyboard alone, and the counts follow', async ({ page, playwright, baseURL }, testInfo) => {
  test.setTimeout(300_000);
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, { ...COORDINATOR, role: 'coordinator' });
  await createUserAsAdmin(admin, { ...OPERATOR, role: 'operator' });
  const rows = ['event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number'];
  for (const kit of [610001, 610002]) for (let p = 1; p <= 3; p++) rows.push(`${EVENT},ВПР СПО,20.11.2026,${REGION},sch611933,${kit},${p},${blankNumber(kit, p)}`);
  const imported = await admin.post('/api/registry/import', { multipart: { file: { name: 'registry-61.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\r\n')}\r\n`) } } });
  expect(imported.ok(), await imported.text()).toBe(true);
  await admin.dispose();

  const coordinator = await playwright.request.newContext({ baseURL });
  expect((await coordinator.post('/api/auth/login', { data: { login: COORDINATOR.login, password: COORDINATOR.password } })).status()).toBe(200);
  const uploadId = await uploadArchive(coordinator);
  const listed = ((await (await coordinator.get(`/api/uploads/${uploadId}/scans`)).json()) as ScanListResponse).scans;
  const upsideDown = listed.find((s: Scan) => s.entryName.endsWith('002.jpg'));
  expect(upsideDown?.status).toBe('unrecognized');
  // the page lay upside down: the clockwise turn it needs in all is 180°; each R adds 90°
  const presses = (((180 - (upsideDown?.rotation ?? 0)) / 90) % 4 + 4) % 4;
  expect(presses, 'the pipeline stored the upside-down page the right way up: nothing to turn').toBeGreaterThan(0);

  await signIn(page, OPERATOR.login, OPERATOR.password);
  await page.goto(`/uploads/${uploadId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Список сканов в загруженном архиве');
  const counts = page.getByTestId('scan-counts');
  await expect(counts).toHaveText('всего: 3 распознано: 0 нераспознано: 3');
  await expect(page.getByRole('heading', { name: /НЕРАСПОЗНАННЫЕ СКАНЫ/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Распознанные сканы по номеру работы/ })).toBeVisible();
  await expect(page.getByText('Распознанных сканов пока нет.')).toBeVisible();
  await expect(page.locator('.thumb').first()).toContainText('штрихкод не найден или не читается');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-upload-detail');

  // into the queue, from the keyboard
  await tabTo(page, page.getByRole('button', { name: 'Исправить по очереди' }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Просмотр отсканированного бланка' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByLabel('НОМЕР БЛАНКА');
  await expect(field).toBeFocused();
  await expect(dialog).toContainText('Аудитория 5/002.jpg');
  await expect(dialog).toContainText('осталось 3 скана');

  // → and ← move through the queue while the field is empty
  await page.keyboard.press('ArrowRight');
  await expect(dialog).toContainText('Аудитория 5/004.jpg');
  await expect(field).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(dialog).toContainText('Аудитория 5/002.jpg');

  // 1. the upside-down page: turned with R until upright; the stored page follows and is read again
  for (let i = 0; i < presses; i++) {
    const turned = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/scans/'));
    await page.keyboard.press('r');
    expect((await turned).status()).toBe(200);
  }
  await expect(dialog.getByRole('img', { name: /Скан Аудитория 5\/002\.jpg/ })).toHaveJSProperty('complete', true);
  const wanted = blankNumber(610001, 2);
  const suggestion = dialog.getByRole('button', { name: new RegExp(`^Подставить ${wanted}`) });
  await expect(suggestion).toBeVisible({ timeout: 30_000 });
  // read from the printed digits alone (no neighbour to agree): offered, marked for checking
  await expect(suggestion).toContainText('цифры под штрихкодом');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-viewer-suggestion');
  // 2. take the suggestion: Tab to it, Enter puts it in the field (nothing saved yet), Enter saves
  await tabTo(page, suggestion);
  await page.keyboard.press('Enter');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(wanted);
  await expect(dialog).toContainText('Комплект 610001, бланк 2');
  await page.keyboard.press('Enter');

  // «Сохранить» opened the next one
  await expect(dialog).toContainText('Аудитория 5/004.jpg');
  await expect(dialog).toContainText('осталось 2 скана');
  await expect(field).toBeFocused();
  await expect(counts).toHaveText('всего: 3 распознано: 1 нераспознано: 2');

  // 3. a number typed by hand; first a wrong one: refused in Russian, the scan stays
  await page.keyboard.type('20031192461999991');
  await expect(dialog).toContainText('нет в реестре региона 61');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('нет в реестре региона 61');
  await expect(dialog).toContainText('Аудитория 5/004.jpg');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(blankNumber(610002, 1));
  await expect(dialog).toContainText('Комплект 610002, бланк 1');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Аудитория 5/005.jpg');
  await expect(dialog).toContainText('осталось 1 скан');

  // 4. the blank page: Delete asks first; Esc keeps it, Delete and Enter remove it
  await page.keyboard.press('Delete');
  const confirm = dialog.getByRole('alertdialog', { name: /Удалить скан Аудитория 5\/005\.jpg/ });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Да, удалить' })).toBeFocused();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-viewer-delete-confirm');
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(field).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(confirm.getByRole('button', { name: 'Да, удалить' })).toBeFocused();
  await page.keyboard.press('Enter');

  // the queue is empty: the modal closes, the page says what to do with the deleted blank, the counts follow
  await expect(dialog).toBeHidden();
  // what opened the queue is gone (nothing is left to fix): the focus lands on the page's heading, not nowhere
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByText('Аудитория 5/005.jpg: Скан удалён. Отсканируйте этот бланк заново и загрузите его снова.')).toBeVisible();
  await expect(counts).toHaveText('всего: 2 распознано: 2 нераспознано: 0');
  await expect(page.getByText('Все сканы этой загрузки распознаны.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Комплект 610001' })).toHaveText(/1 -.*2 ✓.*3 -/);
  await expect(page.getByRole('list', { name: 'Комплект 610002' })).toHaveText(/1 ✓.*2 -.*3 -/);
  const gate = (await (await coordinator.get(`/api/scans/gate?uploadId=${uploadId}`)).json()) as { unrecognized: number; readyForProcessing: boolean };
  expect(gate).toMatchObject({ unrecognized: 0, readyForProcessing: true });
  await coordinator.dispose();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-upload-detail-done');

  // the upload list shows the same counts
  await page.goto('/uploads');
  const card = page.getByRole('list', { name: 'Загрузки' }).getByRole('article', { name: 'Аудитория 5.zip', exact: true });
  await expect(card.locator('.counts__item', { has: page.getByText('нераспознано', { exact: true }) }).locator('dd')).toHaveText('0');

  // 768 px: the detail and the viewer (a recognised scan, with its history) fit a tablet
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto(`/uploads/${uploadId}`);
  await expect(counts).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-upload-detail');
  await tabTo(page, page.getByRole('button', { name: /Бланк 2 комплекта 610001/ }));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(field).toHaveValue(wanted);
  await tabTo(page, dialog.locator('summary', { hasText: 'История изменений' }));
  await page.keyboard.press('Enter');
  await expect(dialog.locator('.scan-viewer__history')).toContainText(`номер — → ${wanted}`);
  await expect(dialog.locator('.scan-viewer__history')).toContainText('Сидоров Пётр Андреевич');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'scans-viewer-suggestion');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.setViewportSize({ width: 1280, height: 800 });
});
