import type { Upload } from '@collector/contracts';
import { describe, expect, it } from 'vitest';
import { click, getButton, getByLabel, json, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { UploadsList } from './uploads-list.tsx';

const NO_COUNTS = { total: 0, newScans: 0, recognized: 0, unrecognized: 0, duplicates: 0, empty: 0, alreadyStored: 0 };

function makeUpload(overrides: Partial<Upload> = {}): Upload {
  return {
    id: '3b0f1c52-4c1a-4f57-9d0e-0c6f5b3f8a11',
    fileName: 'sch771933-7А.zip',
    sizeBytes: 52_428_800,
    receivedBytes: 52_428_800,
    regionCode: '77',
    status: 'done',
    rejectCode: null,
    problems: [],
    ignored: [],
    counts: { ...NO_COUNTS, total: 64, newScans: 64, recognized: 60, unrecognized: 4 },
    progress: null,
    passwordNeeded: false,
    hints: [],
    uploadedBy: { login: 'spo_coord_77', fullName: 'Иванова Мария Петровна' },
    createdAt: '2026-11-27T06:38:00.000Z',
    finishedAt: '2026-11-27T06:40:00.000Z',
    ...overrides,
  };
}

/** ru-RU formats put non-breaking spaces in «1 234» and «20 %»; the tests read them as plain spaces. */
const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

function card(name: string): HTMLElement {
  const heading = [...document.querySelectorAll('h3')].find((element) => element.textContent === name);
  const article = heading?.closest('article');
  if (!(article instanceof HTMLElement)) throw new Error(`No upload «${name}»`);
  return article;
}

const statusOf = (name: string) => card(name).querySelector('.status')?.textContent?.replace('Статус: ', '');
const countsOf = (name: string) =>
  Object.fromEntries([...card(name).querySelectorAll('.counts__item')].map((item) => [item.querySelector('dt')?.textContent, plain(item.querySelector('dd')?.textContent)]));

describe('UploadsList', () => {
  it('names every status in Russian, with the processing progress', async () => {
    await render(
      <UploadsList
        showRegion={false}
        uploads={[
          makeUpload({ id: crypto.randomUUID(), fileName: 'a.zip', status: 'receiving', receivedBytes: 10_485_760, counts: NO_COUNTS }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'b.zip', status: 'queued', counts: NO_COUNTS }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'c.zip', status: 'processing', progress: { processed: 12, total: 64 }, counts: { ...NO_COUNTS, total: 12, newScans: 12, recognized: 12 } }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'd.zip' }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'e.zip', status: 'rejected', rejectCode: 'wrong_password', counts: NO_COUNTS }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'f.zip', status: 'failed', counts: NO_COUNTS }),
        ]}
      />,
    );

    expect(['a.zip', 'b.zip', 'c.zip', 'd.zip', 'e.zip', 'f.zip'].map(statusOf)).toEqual([
      'приём файла',
      'в очереди',
      'обработка 12 из 64',
      'готово',
      'отклонён',
      'ошибка',
    ]);
    expect(plain(card('a.zip').textContent)).toContain('Получено 10 МБ из 50 МБ (20 %)');
    expect(card('c.zip').querySelector('progress')?.getAttribute('value')).toBe('12');
    expect(countsOf('c.zip')).toEqual({ всего: '12', распознано: '12', нераспознано: '0', 'новых сканов': '12' });
    expect(card('e.zip').querySelector('[role="alert"]')?.textContent).toContain('Неверный пароль архива. Проверьте пароль и загрузите архив снова');
    expect(card('f.zip').querySelector('[role="alert"]')?.textContent).toMatch(/ошибки на сервере/);
    expect(card('d.zip').querySelector('time')?.getAttribute('datetime')).toBe('2026-11-27T06:38:00.000Z');
    expect(card('d.zip').querySelector('time')?.textContent).toMatch(/^27\.11\.2026, \d\d:38$/);
  });

  it('shows the counts of a finished upload and says plainly when nothing new arrived', async () => {
    await render(
      <UploadsList
        showRegion={false}
        uploads={[
          makeUpload({ id: crypto.randomUUID(), fileName: 'new.zip', counts: { ...NO_COUNTS, total: 1234, newScans: 1234, recognized: 1230, unrecognized: 4 } }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'again.zip', counts: { ...NO_COUNTS, total: 64, newScans: 0, recognized: 64, alreadyStored: 64 } }),
        ]}
      />,
    );
    expect(countsOf('new.zip')).toEqual({ всего: '1 234', распознано: '1 230', нераспознано: '4', 'новых сканов': '1 234' });
    expect(card('new.zip').textContent).not.toContain('Новых сканов нет');
    expect(card('again.zip').textContent).toContain('Новых сканов нет: все страницы этого архива уже были загружены раньше.');
  });

  it('warns with the instruction’s words and the likely causes when more than 10 % are unrecognised', async () => {
    await render(
      <UploadsList
        showRegion={false}
        uploads={[
          makeUpload({
            id: crypto.randomUUID(),
            fileName: 'bad.zip',
            counts: { ...NO_COUNTS, total: 40, newScans: 40, recognized: 35, unrecognized: 5 },
            hints: ['pages_turned', 'dpi_far_from_200'],
          }),
          makeUpload({ id: crypto.randomUUID(), fileName: 'edge.zip', counts: { ...NO_COUNTS, total: 40, newScans: 40, recognized: 36, unrecognized: 4 } }),
        ]}
      />,
    );
    const warning = card('bad.zip').querySelector('[role="alert"]');
    expect(plain(warning?.textContent)).toContain('Нераспознано 5 из 40 (13 %)');
    expect(warning?.textContent).toContain(
      'Если количество нераспознанных бланков превышает 10%, то это означает некачественное сканирование, рекомендуется пересканировать бланки и загрузить их заново.',
    );
    expect([...(warning?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual([
      'многие страницы отсканированы перевёрнутыми',
      'разрешение сканирования далеко от 200 dpi',
    ]);
    // exactly 10 % is not «more than 10 %»
    expect(card('edge.zip').querySelector('[role="alert"]')).toBeNull();
  });

  it('lists the entries it could not take, each with its reason', async () => {
    await render(
      <UploadsList
        showRegion
        uploads={[
          makeUpload({
            problems: [
              { entryName: '7А/протокол.pdf', code: 'forbidden_format' },
              { entryName: '7А/старое.zip', code: 'nested_archive' },
            ],
            ignored: ['7А/Thumbs.db'],
          }),
        ]}
      />,
    );
    const problems = [...card('sch771933-7А.zip').querySelectorAll('.upload-card__problems li')].map((item) => item.textContent);
    expect(problems).toEqual([
      '7А/протокол.pdf — недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)',
      '7А/старое.zip — архив внутри архива недопустим',
    ]);
    expect(card('sch771933-7А.zip').textContent).toContain('Пропущены служебные файлы: 7А/Thumbs.db');
    expect(card('sch771933-7А.zip').textContent).toContain('регион 77');
  });

  it('asks for the password again when the server needs it, and sends it only in the submit call', async () => {
    const upload = makeUpload({ status: 'queued', passwordNeeded: true, counts: NO_COUNTS });
    const api = stubApi({ [`POST /api/uploads/${upload.id}/submit`]: () => json(202, { id: upload.id, status: 'queued' }), 'GET /api/uploads': () => json(200, { uploads: [] }) });
    await render(<UploadsList showRegion={false} uploads={[upload]} />);

    await click(getButton('Отправить'));
    expect(card(upload.fileName).textContent).toContain('Введите пароль архива');
    expect(api.calls).toEqual([]);

    await type(getByLabel('Пароль архива'), 'SECRET');
    await click(getButton('Отправить'));
    await waitFor(() => expect(api.calls[0]).toEqual({ method: 'POST', path: `/api/uploads/${upload.id}/submit`, body: { password: 'SECRET' } }));
  });

  it('asks for «Отправить» when the tab closed after the last byte, the password optional', async () => {
    const upload = makeUpload({ status: 'receiving', passwordNeeded: true, counts: NO_COUNTS });
    const api = stubApi({ [`POST /api/uploads/${upload.id}/submit`]: () => json(202, { id: upload.id, status: 'queued' }), 'GET /api/uploads': () => json(200, { uploads: [] }) });
    await render(<UploadsList showRegion={false} uploads={[upload]} />);

    expect(statusOf(upload.fileName)).toBe('файл получен');
    expect(card(upload.fileName).textContent).toContain('страница закрылась раньше');
    await click(getButton('Отправить'));
    await waitFor(() => expect(api.calls[0]).toEqual({ method: 'POST', path: `/api/uploads/${upload.id}/submit`, body: {} }));
  });

  it('asks nothing while this page itself is handing the archive over', async () => {
    const upload = makeUpload({ status: 'receiving', passwordNeeded: true, counts: NO_COUNTS });
    await render(<UploadsList showRegion={false} uploads={[upload]} handledHere={new Set([upload.id])} />);
    expect(card(upload.fileName).querySelector('form')).toBeNull();
    expect(card(upload.fileName).textContent).toContain('Файл получен, передаём на обработку…');
  });
});
