import type { Upload } from '@collector/contracts';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, makeUser } from '../../../shared/test/fixtures.ts';
import { click, getButton, getByLabel, json, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import type { SendArchiveEvents } from '../api/send-archive.ts';
import type { UploadQueueDeps } from '../hooks/upload-queue.ts';
import type { PreflightVerdict } from '../utils/preflight-archive.ts';
import { UploadsPage } from './uploads-page.tsx';

const COORDINATOR = makeUser();
const OK: PreflightVerdict = { faults: [], warnings: [], pageCount: 3, entryCount: 3, encrypted: false };
const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

afterEach(() => localStorage.clear());

/** A stand-in for tus: each send waits until the test moves it along. */
function fakeTransport() {
  const sends: { file: File; regionCode: string | undefined; events: SendArchiveEvents; aborted: boolean }[] = [];
  const submits: { id: string; password: string | undefined }[] = [];
  let clock = 0;
  const deps: Partial<UploadQueueDeps> = {
    preflight: vi.fn(async () => OK),
    pack: vi.fn(async (plan) => new File([new Uint8Array(plan.estimatedBytes - 100)], plan.name, { type: 'application/zip' })),
    send: (file, options, events) => {
      const send = { file, regionCode: options.regionCode, events, aborted: false };
      sends.push(send);
      return { abort: () => (send.aborted = true) };
    },
    submit: async (id, password) => {
      submits.push({ id, password });
    },
    now: () => clock,
  };
  return { deps, sends, submits, tick: (ms: number) => (clock += ms) };
}

/** The transport's callbacks land outside React's handlers, as network events do. */
async function step(callback: () => void): Promise<void> {
  await act(async () => {
    callback();
    // let the queue's promise chain (check → send → submit) settle inside act
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function pickFiles(testId: 'archive-input' | 'folder-input', files: File[]): Promise<void> {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
  if (input === null) throw new Error(`no ${testId}`);
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  await step(() => input.dispatchEvent(new Event('change', { bubbles: true })));
}

function queueRows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('.queue-item')];
}

const zip = (name: string, size = 1000) => new File([new Uint8Array(size)], name, { type: 'application/zip' });

describe('UploadsPage', () => {
  it('checks each file, sends them one after another with percent, speed and time left, then submits the password', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    const transport = fakeTransport();
    await render(<UploadsPage user={COORDINATOR} queueDeps={transport.deps} />);
    expect(getButton('Выберите файл размером до 250 МБ')).toBeTruthy();

    await type(getByLabel('Пароль архива (если есть)'), 'SECRET');
    await pickFiles('archive-input', [zip('7А.zip', 10 * 1024 * 1024), zip('7Б.zip')]);
    await waitFor(() => expect(transport.sends).toHaveLength(1));
    expect(transport.sends[0]?.file.name).toBe('7А.zip');

    const first = transport.sends[0]?.events;
    first?.onUploadId?.('3b0f1c52-4c1a-4f57-9d0e-0c6f5b3f8a11');
    await step(() => first?.onProgress(0, 10 * 1024 * 1024));
    transport.tick(2000);
    await waitFor(() => expect(queueRows()[0]?.textContent).toContain('оцениваем время'));
    await step(() => first?.onProgress(4 * 1024 * 1024, 10 * 1024 * 1024));
    await waitFor(() => expect(plain(queueRows()[0]?.textContent)).toContain('40 %4 МБ из 10 МБ2 МБ/состалось 3 с'));
    expect(queueRows()[1]?.textContent).toContain('Проверен, ждёт очереди');
    // the second archive waits for the first
    expect(transport.sends).toHaveLength(1);

    await step(() => first?.onSuccess('3b0f1c52-4c1a-4f57-9d0e-0c6f5b3f8a11'));
    await waitFor(() => expect(transport.submits).toEqual([{ id: '3b0f1c52-4c1a-4f57-9d0e-0c6f5b3f8a11', password: undefined }]));
    await waitFor(() => expect(queueRows()[0]?.textContent).toContain('Отправлен'));
    await waitFor(() => expect(transport.sends).toHaveLength(2));
  });

  it('sends the password only with the submit of an encrypted archive', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    const transport = fakeTransport();
    transport.deps.preflight = vi.fn(async () => ({ ...OK, encrypted: true }));
    await render(<UploadsPage user={COORDINATOR} queueDeps={transport.deps} />);

    await type(getByLabel('Пароль архива (если есть)'), 'SECRET');
    await pickFiles('archive-input', [zip('aes.zip')]);
    await waitFor(() => expect(transport.sends).toHaveLength(1));
    expect(transport.deps.preflight).toHaveBeenCalledWith(expect.any(File), 'SECRET');
    await step(() => transport.sends[0]?.events.onSuccess('6f1c2c52-4c1a-4f57-9d0e-0c6f5b3f8a11'));
    await waitFor(() => expect(transport.submits).toEqual([{ id: '6f1c2c52-4c1a-4f57-9d0e-0c6f5b3f8a11', password: 'SECRET' }]));
  });

  it('does not send an archive the local check stops, and lets the person try another password', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    const transport = fakeTransport();
    transport.deps.preflight = vi.fn(async (_file: File, password: string | undefined) =>
      password === 'SECRET'
        ? { ...OK, encrypted: true }
        : { ...OK, encrypted: true, faults: [{ code: 'password_required' as const, text: 'Архив защищён паролем. Введите пароль в соседнее окошко и загрузите архив снова' }] },
    );
    await render(<UploadsPage user={COORDINATOR} queueDeps={transport.deps} />);

    await pickFiles('archive-input', [zip('aes.zip')]);
    await waitFor(() => expect(queueRows()[0]?.querySelector('[role="alert"]')?.textContent).toBe(
      'Файл не отправленАрхив защищён паролем. Введите пароль в соседнее окошко и загрузите архив снова',
    ));
    expect(transport.sends).toHaveLength(0);

    await type(getByLabel('Пароль этого архива'), 'SECRET');
    await click(getButton('Проверить и отправить'));
    await waitFor(() => expect(transport.sends).toHaveLength(1));
  });

  it('shows by-name warnings and still sends the archive', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    const transport = fakeTransport();
    transport.deps.preflight = vi.fn(async () => ({
      ...OK,
      warnings: [{ code: 'forbidden_format' as const, entryName: '7А/протокол.pdf', text: 'недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)' }],
    }));
    await render(<UploadsPage user={COORDINATOR} queueDeps={transport.deps} />);
    await pickFiles('archive-input', [zip('7А.zip')]);
    await waitFor(() => expect(transport.sends).toHaveLength(1));
    expect(queueRows()[0]?.textContent).toContain('«7А/протокол.pdf»: недопустимый формат');
  });

  it('zips a chosen folder in the browser, split at classroom folders, and sends each archive', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    const transport = fakeTransport();
    await render(<UploadsPage user={COORDINATOR} queueDeps={transport.deps} folderArchiveLimitBytes={30 * 1024} />);

    const files = ['7А/0001.jpg', '7А/0002.jpg', '7Б/0001.jpg', '7Б/0002.jpg'].map((path) => {
      const file = new File([new Uint8Array(10 * 1024)], path.split('/')[1] ?? path, { type: 'image/jpeg' });
      Object.defineProperty(file, 'webkitRelativePath', { value: `Школа/${path}` });
      return file;
    });
    await pickFiles('folder-input', files);

    await waitFor(() => expect(queueRows().map((row) => row.querySelector('.queue-item__name')?.textContent)).toEqual(['Школа-1.zip', 'Школа-2.zip']));
    expect(queueRows()[1]?.textContent).toContain('2 файла из папки «Школа», архив 2 из 2');
    expect(document.querySelector('.alert--info')?.textContent).toContain('разделил её по аудиториям на 2 архива');
    await waitFor(() => expect(transport.sends).toHaveLength(1));
    expect(transport.deps.pack).toHaveBeenCalledTimes(1);
    expect(transport.sends[0]?.file.name).toBe('Школа-1.zip');
  });

  it('makes the admin choose the region first and sends it with the upload', async () => {
    stubApi({
      'GET /api/uploads': () => json(200, { uploads: [] }),
      'GET /api/regions': () => json(200, { regions: [{ code: '77', name: 'Москва' }, { code: '50', name: 'Московская область' }] }),
    });
    const transport = fakeTransport();
    await render(<UploadsPage user={ADMIN} queueDeps={transport.deps} />);

    await pickFiles('archive-input', [zip('7А.zip')]);
    await waitFor(() => expect(document.body.textContent).toContain('Выберите регион, в который загружаются сканы'));
    expect(queueRows()).toHaveLength(0);

    await waitFor(() => expect(getByLabel('Регион загрузки').querySelectorAll('option')).toHaveLength(3));
    await type(getByLabel('Регион загрузки'), '50');
    await pickFiles('archive-input', [zip('7А.zip')]);
    await waitFor(() => expect(transport.sends[0]?.regionCode).toBe('50'));
  });

  it('offers to continue an upload a reload interrupted', async () => {
    const id = '9a0f1c52-4c1a-4f57-9d0e-0c6f5b3f8a11';
    const receiving: Upload = {
      id,
      fileName: '7В.zip',
      sizeBytes: 100 * 1024 * 1024,
      receivedBytes: 80 * 1024 * 1024,
      regionCode: '77',
      status: 'receiving',
      rejectCode: null,
      problems: [],
      ignored: [],
      counts: { total: 0, newScans: 0, recognized: 0, unrecognized: 0, duplicates: 0, empty: 0, alreadyStored: 0 },
      progress: null,
      passwordNeeded: false,
      hints: [],
      uploadedBy: { login: COORDINATOR.login, fullName: COORDINATOR.fullName },
      createdAt: '2026-11-27T06:38:00.000Z',
      finishedAt: null,
    };
    localStorage.setItem(
      `tus::collector-upload|${COORDINATOR.id}|7В.zip|104857600|1764000000000::42`,
      JSON.stringify({ size: 104_857_600, metadata: { filename: '7В.zip' }, creationTime: '2026-11-27T06:38:00.000Z', uploadUrl: `http://localhost:3000/api/uploads/tus/${id}` }),
    );
    // someone else's unfinished upload on the same browser is not offered
    localStorage.setItem(
      'tus::collector-upload|someone-else|8А.zip|1000|1::43',
      JSON.stringify({ size: 1000, metadata: { filename: '8А.zip' }, creationTime: '2026-11-27T06:38:00.000Z', uploadUrl: 'http://localhost:3000/api/uploads/tus/x' }),
    );
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [receiving] }) });
    await render(<UploadsPage user={COORDINATOR} queueDeps={fakeTransport().deps} />);

    await waitFor(() => expect(plain(queueRows()[0]?.textContent)).toContain('7В.zip100 МБ · получено 80 %'));
    expect(queueRows()).toHaveLength(1);
    expect(queueRows()[0]?.textContent).toContain('Загрузка прервана — выберите этот файл снова, чтобы продолжить');

    await click(getButton('Не продолжать 7В.zip'));
    await waitFor(() => expect(queueRows()).toHaveLength(0));
    expect(localStorage.length).toBe(1);
  });

  it('shows an operator the region’s uploads without a way to send archives', async () => {
    stubApi({ 'GET /api/uploads': () => json(200, { uploads: [] }) });
    await render(<UploadsPage user={makeUser({ role: 'operator', login: 'op_77_ivanova' })} queueDeps={fakeTransport().deps} />);
    await waitFor(() => expect(document.body.textContent).toContain('Загрузок пока нет'));
    expect(document.body.textContent).toContain('Загружать архивы может региональный координатор или администратор');
    expect(document.querySelector('[data-testid="archive-input"]')).toBeNull();
  });
});
