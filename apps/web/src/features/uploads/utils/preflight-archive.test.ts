// @vitest-environment node
// Node's Blob and File read slices the way browsers do (jsdom's cannot), and zip.js needs exactly that.
import { MAX_ARCHIVE_BYTES } from '@collector/contracts';
import { BlobWriter, Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js/lib/zip-native.js';
import { describe, expect, it } from 'vitest';
import { preflightArchive } from './preflight-archive.ts';

/** A few bytes that start like a JPEG; the check reads names, never pixels. */
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

type Entry = { name: string; bytes?: Uint8Array };

async function zipOf(entries: Entry[], options: { password?: string; zipCrypto?: boolean } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const writer = new ZipWriter(new BlobWriter('application/zip'), { useWebWorkers: false });
  for (const entry of entries) {
    await writer.add(entry.name, new Uint8ArrayReader(entry.bytes ?? JPEG), {
      ...(options.password === undefined ? {} : { password: options.password, encryptionStrength: 3, zipCrypto: options.zipCrypto ?? false }),
    });
  }
  return new Uint8Array(await (await writer.close()).arrayBuffer());
}

const fileOf = (bytes: Uint8Array<ArrayBuffer>, name = 'аудитория-7А.zip') => new File([bytes], name, { type: 'application/zip' });

describe('preflightArchive', () => {
  it('passes a plain archive of JPEG and TIFF pages and counts them', async () => {
    const zip = await zipOf([{ name: '7А/0001.jpg' }, { name: '7А/0002.JPG' }, { name: '7А/0003.tif' }, { name: '7А/Thumbs.db' }]);
    const verdict = await preflightArchive(fileOf(zip));
    expect(verdict.faults).toEqual([]);
    expect(verdict.warnings).toEqual([]);
    expect(verdict.pageCount).toBe(3);
    expect(verdict.encrypted).toBe(false);
  });

  it('stops an archive over 250 MB before reading any of it', async () => {
    const file = fileOf(await zipOf([{ name: 'a.jpg' }]), 'большой.zip');
    Object.defineProperty(file, 'size', { value: MAX_ARCHIVE_BYTES + 1 });
    const verdict = await preflightArchive(file);
    expect(verdict.faults.map((fault) => fault.code)).toEqual(['archive_too_large']);
    expect(verdict.faults[0]?.text).toBe('Архив больше 250 МБ. Разделите его на несколько архивов и загрузите каждый');
  });

  it('accepts exactly 250 MB', async () => {
    const file = fileOf(await zipOf([{ name: 'a.jpg' }]));
    const verdict = await preflightArchive(file, { maxBytes: file.size });
    expect(verdict.faults).toEqual([]);
  });

  it('says a RAR or 7z file is not a ZIP whatever its name says', async () => {
    const rar = new Uint8Array([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00, 1, 2, 3, 4]);
    const sevenZip = new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 5, 6]);
    for (const bytes of [rar, sevenZip, new TextEncoder().encode('просто текст')]) {
      const verdict = await preflightArchive(fileOf(bytes, 'scans.zip'));
      expect(verdict.faults.map((fault) => fault.code)).toEqual(['not_zip']);
    }
    const verdict = await preflightArchive(fileOf(rar, 'scans.zip'));
    expect(verdict.faults[0]?.text).toMatch(/^Файл не является ZIP-архивом/);
  });

  it('says a damaged ZIP cannot be read', async () => {
    const zip = await zipOf([{ name: 'a.jpg' }]);
    const verdict = await preflightArchive(fileOf(zip.slice(0, zip.length - 30)));
    expect(verdict.faults.map((fault) => fault.code)).toEqual(['corrupt_archive']);
  });

  it('recognises the parts of a split archive by name and by the disk number inside', async () => {
    const zip = await zipOf([{ name: 'a.jpg' }]);
    expect((await preflightArchive(fileOf(zip, 'scans.z01'))).faults.map((fault) => fault.code)).toEqual(['multipart_archive']);
    expect((await preflightArchive(fileOf(zip, 'scans.zip.002'))).faults.map((fault) => fault.code)).toEqual(['multipart_archive']);

    // The last part of `zip -s` is named .zip; its end record says it is disk 1 of a set.
    const lastPart = zip.slice();
    const end = lastPart.length - 22;
    lastPart[end + 4] = 1; // number of this disk
    lastPart[end + 6] = 1; // disk where the central directory starts
    expect((await preflightArchive(fileOf(lastPart))).faults.map((fault) => fault.code)).toEqual(['multipart_archive']);

    const spanned = zip.slice();
    spanned.set([0x50, 0x4b, 0x07, 0x08], 0);
    expect((await preflightArchive(fileOf(spanned))).faults.map((fault) => fault.code)).toEqual(['multipart_archive']);
  });

  it('asks for the password of an encrypted archive and checks it locally (AES-256 and ZipCrypto)', async () => {
    for (const zipCrypto of [false, true]) {
      const zip = await zipOf([{ name: '7Б/0001.jpg' }, { name: '7Б/0002.jpg' }], { password: 'SECRET', zipCrypto });
      const without = await preflightArchive(fileOf(zip));
      expect(without.encrypted).toBe(true);
      expect(without.faults.map((fault) => fault.code)).toEqual(['password_required']);
      expect(without.faults[0]?.text).toBe('Архив защищён паролем. Введите пароль в соседнее окошко и загрузите архив снова');

      const wrong = await preflightArchive(fileOf(zip), { password: 'not-it' });
      expect(wrong.faults.map((fault) => fault.code)).toEqual(['wrong_password']);

      const right = await preflightArchive(fileOf(zip), { password: 'SECRET' });
      expect(right.faults).toEqual([]);
      expect(right.pageCount).toBe(2);
    }
  });

  it('warns by name about PDF, BMP, PNG and nested archives, but still lets the archive go', async () => {
    const zip = await zipOf([
      { name: '7В/0001.jpg' },
      { name: '7В/протокол.pdf' },
      { name: '7В/0002.bmp' },
      { name: '7В/0003.PNG' },
      { name: '7В/ещё сканы.zip' },
      { name: '7В/старое.rar' },
    ]);
    const verdict = await preflightArchive(fileOf(zip));
    expect(verdict.faults).toEqual([]);
    expect(verdict.warnings.map((warning) => [warning.code, warning.entryName])).toEqual([
      ['forbidden_format', '7В/протокол.pdf'],
      ['forbidden_format', '7В/0002.bmp'],
      ['forbidden_format', '7В/0003.PNG'],
      ['nested_archive', '7В/ещё сканы.zip'],
      ['nested_archive', '7В/старое.rar'],
    ]);
    expect(verdict.warnings[0]?.text).toBe('недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)');
    expect(verdict.warnings[3]?.text).toBe('архив внутри архива недопустим');
  });

  it('warns when there is no JPEG or TIFF at all', async () => {
    const zip = await zipOf([{ name: 'сканы.pdf' }, { name: 'Thumbs.db' }]);
    const verdict = await preflightArchive(fileOf(zip));
    expect(verdict.faults).toEqual([]);
    expect(verdict.warnings.map((warning) => warning.code)).toEqual(['forbidden_format', 'empty_archive']);
    expect(verdict.warnings[1]?.text).toBe('В архиве нет изображений JPG или TIFF. Отсканируйте бланки в JPG или TIFF и заархивируйте папку');
  });

  it('reads on past an unsafe name instead of refusing the whole archive', async () => {
    const zip = await zipOf([{ name: '../../evil.jpg' }, { name: 'ok.jpg' }]);
    const verdict = await preflightArchive(fileOf(zip));
    expect(verdict.faults).toEqual([]);
    expect(verdict.warnings.map((warning) => warning.code)).toEqual(['unsafe_path']);
    expect(verdict.pageCount).toBe(1);
  });

  it('shows Cyrillic names as written: UTF-8 with or without the flag (Linux `zip`), else CP866 (Windows Explorer)', async () => {
    const names = ['7А/протокол.pdf'];
    const cp866 = (text: string) =>
      Uint8Array.from([...text].map((char) => {
        const code = char.codePointAt(0) ?? 0;
        if (code < 0x80) return code;
        if (code >= 0x410 && code <= 0x42f) return code - 0x410 + 0x80; // А-Я
        if (code >= 0x430 && code <= 0x43f) return code - 0x430 + 0xa0; // а-п
        if (code >= 0x440 && code <= 0x44f) return code - 0x440 + 0xe0; // р-я
        throw new Error(char);
      }));
    for (const encodeText of [undefined, (text: string) => new TextEncoder().encode(text), cp866]) {
      const writer = new ZipWriter(new BlobWriter('application/zip'), { useWebWorkers: false, ...(encodeText === undefined ? {} : { useUnicodeFileNames: false, encodeText }) });
      for (const name of names) await writer.add(name, new Uint8ArrayReader(JPEG));
      const zip = new Uint8Array(await (await writer.close()).arrayBuffer());
      const verdict = await preflightArchive(fileOf(zip));
      expect(verdict.warnings.map((warning) => warning.entryName)).toEqual(['7А/протокол.pdf', null]);
    }
  });
});
