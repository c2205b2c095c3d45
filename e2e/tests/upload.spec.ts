import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { FIXTURE_PASSWORD, makeUploadFixtures, registryCsv } from '../fixtures/make-upload-fixtures.ts';
import type { UploadFixtures } from '../fixtures/make-upload-fixtures.ts';
import { createUserAsAdmin, signIn } from '../support/auth.ts';
import { screenshot } from '../support/screenshots.ts';

const COORDINATOR = { login: 'spo_coord_64', password: 'Upload-journey-2026', regionCode: '64', fullName: 'Смирнова Анна Сергеевна' };

// Made afresh for each run in the run's own data folder (playwright.config.ts sets it), so runs never share them.
const fixtureDir = path.join(process.env['E2E_DATA_DIR'] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp'), 'upload-fixtures');
let fixtures: UploadFixtures;

test.beforeAll(async () => {
  fixtures = await makeUploadFixtures(fixtureDir);
});

/** WCAG 2.1 AA, as axe-core checks it: none allowed. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(found).toEqual([]);
}

/** Drops files onto the panel the way a file manager does (a DataTransfer carrying Files). */
async function dropFiles(page: Page, zone: Locator, files: string[]): Promise<void> {
  const payload = await Promise.all(
    files.map(async (file) => ({ name: path.basename(file), base64: (await readFile(file)).toString('base64') })),
  );
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: 'application/zip' }));
    }
    return transfer;
  }, payload);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

function uploadCard(page: Page, fileName: string): Locator {
  return page.getByRole('list', { name: 'Загрузки' }).getByRole('article', { name: fileName, exact: true });
}

function queueRow(page: Page, fileName: string): Locator {
  return page.locator('.queue-item').filter({ has: page.locator('.queue-item__name', { hasText: fileName }) });
}

async function expectCounts(card: Locator, counts: { всего: number; распознано: number; нераспознано: number; 'новых сканов': number }) {
  for (const [label, value] of Object.entries(counts)) {
    await expect(card.locator('.counts__item', { has: card.page().getByText(label, { exact: true }) }).locator('dd')).toHaveText(String(value));
  }
}

test('a coordinator sends archives and a scanned folder, and watches the counts arrive', async ({ page, playwright, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, { ...COORDINATOR, role: 'coordinator' });
  // The blanks of the archives' pages are in region 64's registry; the folder's pages carry no number.
  const imported = await admin.post('/api/registry/import', {
    multipart: { file: { name: 'registry-64.csv', mimeType: 'text/csv', buffer: Buffer.from(registryCsv()) } },
  });
  expect(imported.ok(), await imported.text()).toBe(true);
  await admin.dispose();

  // Two classrooms of about 165 KB do not fit one archive under this limit; one does.
  const [first = 0, second = 0] = fixtures.classroomBytes;
  const splitLimit = Math.max(first, second) + Math.floor(Math.min(first, second) / 2);
  await page.addInitScript((limit) => {
    (window as { __collectorFolderArchiveLimit?: number }).__collectorFolderArchiveLimit = limit;
  }, splitLimit);

  await signIn(page, COORDINATOR.login, COORDINATOR.password);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Загрузка результатов' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Загрузка результатов');
  await expect(page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' })).toBeVisible();
  await expect(page.getByLabel('Пароль архива (если есть)')).toBeVisible();
  await expect(page.getByText('Загрузок пока нет')).toBeVisible();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'uploads-empty');

  // 1. A plain archive, dropped onto the panel.
  await dropFiles(page, page.getByTestId('upload-drop-zone'), [fixtures.plain]);
  const plain = queueRow(page, 'plain-three-pages.zip');
  await expect(plain).toContainText('«7А/протокол.pdf»: недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)');
  await expect(plain).toContainText('Отправлен');

  // 2. An AES-256 archive with its password typed beside the button.
  await page.getByLabel('Пароль архива (если есть)').fill(FIXTURE_PASSWORD);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' }).click();
  await (await chooser).setFiles(fixtures.aes256);
  await expect(queueRow(page, 'aes256-password-is-secret.zip')).toContainText('Отправлен');

  // 3. Another AES-256 archive with a wrong password: stopped before a byte is sent, in plain Russian.
  await page.getByLabel('Пароль архива (если есть)').fill('not-the-password');
  const chooserAgain = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' }).click();
  await (await chooserAgain).setFiles(fixtures.aes256Other);
  const wrong = queueRow(page, 'aes256-typed-password-is-wrong.zip');
  await expect(wrong.getByRole('alert')).toHaveText('Файл не отправленНеверный пароль архива. Проверьте пароль и загрузите архив снова');
  await expect(wrong.getByLabel('Пароль этого архива')).toBeVisible();
  await screenshot(page, testInfo, 'uploads-wrong-password');
  await page.getByLabel('Пароль архива (если есть)').fill('');

  // 4. A scanned school folder: the browser zips it itself, one classroom per archive under the limit.
  await page.getByTestId('folder-input').setInputFiles(fixtures.folder);
  await expect(page.getByText(/разделил её по аудиториям на 2 архива/)).toBeVisible();
  await expect(queueRow(page, 'Школа 771933-1.zip')).toContainText('3 файла из папки «Школа 771933», архив 1 из 2');
  await expect(queueRow(page, 'Школа 771933-2.zip')).toContainText('3 файла из папки «Школа 771933», архив 2 из 2');
  await screenshot(page, testInfo, 'uploads-queue');
  await expect(queueRow(page, 'Школа 771933-1.zip')).toContainText('Отправлен', { timeout: 30_000 });
  await expect(queueRow(page, 'Школа 771933-2.zip')).toContainText('Отправлен', { timeout: 30_000 });

  // The counts arrive in the list as the server processes each archive: the archives' blanks are all
  // recognised; the folder's pages have no barcode, so those rows warn to rescan, with the likely cause.
  const expected = [
    ['plain-three-pages.zip', 3, 3],
    ['aes256-password-is-secret.zip', 2, 2],
    ['Школа 771933-1.zip', 3, 0],
    ['Школа 771933-2.zip', 3, 0],
  ] as const;
  for (const [fileName, pages, recognised] of expected) {
    const card = uploadCard(page, fileName);
    await expect(card.locator('.status')).toHaveText(/готово$/, { timeout: 120_000 });
    await expectCounts(card, { всего: pages, распознано: recognised, нераспознано: pages - recognised, 'новых сканов': pages });
    if (recognised === pages) await expect(card.getByRole('alert')).toHaveCount(0);
    else {
      await expect(card.getByRole('alert')).toContainText(`Нераспознано ${String(pages - recognised)} из ${String(pages)}`);
      await expect(card.getByRole('alert')).toContainText('рекомендуется пересканировать бланки и загрузить их заново');
      await expect(card.getByRole('alert').getByRole('listitem').first()).toBeVisible();
    }
  }
  await expect(uploadCard(page, 'plain-three-pages.zip').getByRole('group')).toContainText(
    '7А/протокол.pdf — недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)',
  );
  // The wrong-password archive never reached the server.
  await expect(uploadCard(page, 'aes256-typed-password-is-wrong.zip')).toHaveCount(0);

  await page.getByRole('button', { name: 'Убрать отправленные' }).click();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'uploads-done');

  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  // the password field stays beside the button, as the instruction describes it
  const button = await page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' }).boundingBox();
  const password = await page.getByLabel('Пароль архива (если есть)').boundingBox();
  expect(password?.x ?? 0).toBeGreaterThan((button?.x ?? 0) + (button?.width ?? 0));
  expect(Math.abs((password?.y ?? 0) + (password?.height ?? 0) - (button?.y ?? 0) - (button?.height ?? 0))).toBeLessThan(4);
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'uploads-done');
});

test('a page reload in the middle of an upload continues from where it stopped', async ({ page, playwright, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const coordinator = { ...COORDINATOR, login: 'spo_coord_62', regionCode: '62' };
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, { ...coordinator, role: 'coordinator' });
  await admin.dispose();
  const fileName = path.basename(fixtures.large);
  const size = (await readFile(fixtures.large)).length;

  await signIn(page, coordinator.login, coordinator.password);
  await page.goto('/uploads');
  // a slow regional line: 1 MB/s up
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' }).click();
  await (await chooser).setFiles(fixtures.large);

  const serverRow = async () => {
    const { uploads } = (await (await page.request.get('/api/uploads')).json()) as { uploads: { id: string; fileName: string; receivedBytes: number; status: string }[] };
    return uploads.find((upload) => upload.fileName === fileName);
  };
  await expect.poll(async () => ((await serverRow())?.receivedBytes ?? 0) / size, { timeout: 30_000, intervals: [200] }).toBeGreaterThan(0.3);
  await expect(queueRow(page, fileName)).toContainText(/МБ\/с|КБ\/с/);
  await expect(queueRow(page, fileName)).toContainText(/осталось \d/);
  await screenshot(page, testInfo, 'uploads-sending');

  await page.reload();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const interrupted = queueRow(page, fileName);
  await expect(interrupted).toContainText('Загрузка прервана — выберите этот файл снова, чтобы продолжить');
  await expect(interrupted).toContainText(/получено \d+\s%/);
  const cut = await serverRow();
  expect(cut?.status).toBe('receiving');
  const kept = cut?.receivedBytes ?? 0;
  expect(kept).toBeGreaterThan(0.3 * size);
  expect(kept).toBeLessThan(size);
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'uploads-interrupted');

  // The same file again: tus asks the server how far it got and sends only the rest.
  const patch = page.waitForRequest((request) => request.method() === 'PATCH' && request.url().endsWith(`/api/uploads/tus/${cut?.id ?? ''}`));
  const chooserAgain = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выберите файл размером до 250 МБ' }).click();
  await (await chooserAgain).setFiles(fixtures.large);
  const offset = Number((await patch).headers()['upload-offset']);
  expect(offset).toBeGreaterThanOrEqual(kept);
  expect(offset).toBeLessThan(size);

  const card = uploadCard(page, fileName);
  await expect(card.locator('.status')).toHaveText(/готово$/, { timeout: 120_000 });
  await expectCounts(card, { всего: 4, распознано: 0, нераспознано: 4, 'новых сканов': 4 });
  // resumed, not sent again as a second upload
  await expect(page.getByRole('list', { name: 'Загрузки' }).getByRole('article')).toHaveCount(1);
  await expect(page.getByText('Загрузка прервана')).toHaveCount(0);
});
