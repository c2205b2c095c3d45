import { describe, expect, it } from 'vitest';
import { sniffContent } from './sniff-content.ts';

const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? Array.from(value, (char) => char.charCodeAt(0)) : [value])));

describe('sniffContent', () => {
  it.each([
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0), 'jpeg'],
    ['little-endian tiff', bytes('II', 42, 0), 'tiff'],
    ['big-endian tiff', bytes('MM', 0, 42), 'tiff'],
    ['zip', bytes('PK', 3, 4, 20, 0), 'archive'],
    ['rar', bytes('Rar!', 0x1a, 7, 1, 0), 'archive'],
    ['7z', bytes('7z', 0xbc, 0xaf, 0x27, 0x1c), 'archive'],
    ['gzip', bytes(0x1f, 0x8b, 8), 'archive'],
    ['pdf', bytes('%PDF-1.7'), 'forbidden'],
    ['png', bytes(0x89, 'PNG'), 'forbidden'],
    ['gif', bytes('GIF89a'), 'forbidden'],
    ['bmp', bytes('BM', 0, 0), 'forbidden'],
    ['heic', bytes(0, 0, 0, 24, 'ftypheic'), 'forbidden'],
    ['webp', bytes('RIFF', 0, 0, 0, 0, 'WEBP'), 'forbidden'],
    ['text', bytes('hello'), 'unknown'],
    ['nothing', bytes(), 'unknown'],
  ])('%s', (_name, input, kind) => {
    expect(sniffContent(input).kind).toBe(kind);
  });

  it('finds tar by its magic at offset 257', () => {
    const tar = new Uint8Array(512);
    tar.set(bytes('ustar'), 257);
    expect(sniffContent(tar)).toEqual({ kind: 'archive', format: 'tar' });
  });

  it('tells an Office document (a zip inside) from a nested archive by its first entry', () => {
    const docx = new Uint8Array(64);
    docx.set(bytes('PK', 3, 4));
    docx.set([19, 0], 26);
    docx.set(bytes('[Content_Types].xml'), 30);
    expect(sniffContent(docx)).toEqual({ kind: 'forbidden', format: 'office-document' });
  });
});
