import { describe, expect, it } from 'vitest';
import { DEFAULT_BLANK_PATTERN } from '../options.ts';
import { matchBlankNumber } from './match-blank-number.ts';
import type { FoundCode } from './zxing-reader.ts';

const at = { topLeft: [0, 0], topRight: [1, 0], bottomRight: [1, 1], bottomLeft: [0, 1] } as FoundCode['corners'];
const code = (text: string, symbology: FoundCode['symbology']): FoundCode => ({ text, symbology, corners: at, rotation: 0, lineCount: 5 });

describe('matchBlankNumber', () => {
  it('takes a 17-digit number from any blank symbology', () => {
    for (const s of ['code128', 'qrcode', 'datamatrix', 'pdf417', 'aztec'] as const) {
      expect(matchBlankNumber(code('20031192413000035', s), DEFAULT_BLANK_PATTERN)).toBe('20031192413000035');
    }
  });

  it('ignores decoys: a URL, a 6-digit kit number, a number with extra characters, other symbologies', () => {
    expect(matchBlankNumber(code('https://fisoko.obrnadzor.gov.ru/x', 'qrcode'), DEFAULT_BLANK_PATTERN)).toBeNull();
    expect(matchBlankNumber(code('100001', 'code128'), DEFAULT_BLANK_PATTERN)).toBeNull();
    expect(matchBlankNumber(code('20031192413000035 ', 'code128'), DEFAULT_BLANK_PATTERN)).toBeNull();
    expect(matchBlankNumber(code('20031192413000035', 'other'), DEFAULT_BLANK_PATTERN)).toBeNull();
  });

  it('reads ITF only at full length: 17 digits plus a valid GS1 check digit, or a leading zero', () => {
    // the GS1 check digit of 20031192413000035 is 8
    expect(matchBlankNumber(code('200311924130000358', 'itf'), DEFAULT_BLANK_PATTERN)).toBe('20031192413000035');
    expect(matchBlankNumber(code('020031192413000035', 'itf'), DEFAULT_BLANK_PATTERN)).toBe('20031192413000035');
    // wrong check digit and no leading zero: not a number, never a guess
    expect(matchBlankNumber(code('200311924130000357', 'itf'), DEFAULT_BLANK_PATTERN)).toBeNull();
    // a partial read (short) never matches
    expect(matchBlankNumber(code('2003119241300000', 'itf'), DEFAULT_BLANK_PATTERN)).toBeNull();
  });

  it('follows a custom pattern', () => {
    expect(matchBlankNumber(code('AB-123', 'code128'), /^AB-\d{3}$/)).toBe('AB-123');
    expect(matchBlankNumber(code('20031192413000035', 'code128'), /^AB-\d{3}$/)).toBeNull();
  });
});
