import { describe, expect, it } from 'vitest';
import { classifyEntryPath } from './classify-entry-path.ts';
import { decodeEntryName } from '@collector/contracts/entry-names';

const file = { directory: false, symlink: false };

describe('classifyEntryPath', () => {
  it.each(['../x.jpg', 'a/../../x.jpg', '..\\x.jpg', '/etc/x.jpg', '\\server\\x.jpg', 'C:/x.jpg', 'c:x.jpg', 'a\0.jpg'])('%s is unsafe', (path) => {
    expect(classifyEntryPath(path, file).kind).toBe('unsafe');
  });

  it('calls a symlink entry unsafe whatever its name', () => {
    expect(classifyEntryPath('page.jpg', { directory: false, symlink: true })).toEqual({ kind: 'unsafe', why: 'symlink' });
  });

  it.each(['Thumbs.db', 'a/THUMBS.DB', 'desktop.ini', 'x/.DS_Store', '__MACOSX/._a.jpg', '__MACOSX/', 'a/._b.jpg'])('%s is junk', (path) => {
    expect(classifyEntryPath(path, file).kind).toBe('junk');
  });

  it.each(['page.jpg', 'a..b.jpg', '...jpg', 'папка/скан.tif'])('%s is a plain file', (path) => {
    expect(classifyEntryPath(path, file).kind).toBe('file');
  });
});

describe('decodeEntryName', () => {
  it('reads CP866 bytes (Windows Explorer) as Russian, not CP437 mojibake', () => {
    // "Скан.jpg" in code page 866
    expect(decodeEntryName(Uint8Array.from([0x91, 0xaa, 0xa0, 0xad, 0x2e, 0x6a, 0x70, 0x67]), false)).toBe('Скан.jpg');
  });

  it('honours the UTF-8 flag, and takes valid UTF-8 without it as UTF-8', () => {
    const utf8 = new TextEncoder().encode('Бланк №1.jpg');
    expect(decodeEntryName(utf8, true)).toBe('Бланк №1.jpg');
    expect(decodeEntryName(utf8, false)).toBe('Бланк №1.jpg');
  });
});
