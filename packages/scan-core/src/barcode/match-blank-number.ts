import type { FoundCode } from './zxing-reader.ts';

/** GS1 mod-10 check digit over a digit string. */
function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The blank number a code carries, or null. ITF can only hold an even number of digits, so a 17-digit number is
 * printed either with a GS1 check digit appended or with a leading zero: both are accepted, but only at full length,
 * because ITF has no mandatory checksum and a short partial read must never become a number.
 */
export function matchBlankNumber(code: FoundCode, pattern: RegExp): string | null {
  if (code.symbology === 'other') return null;
  const text = code.text;
  if (code.symbology !== 'itf') return pattern.test(text) ? text : null;
  if (!/^\d+$/.test(text) || text.length % 2 !== 0) return null;
  if (pattern.test(text)) return text;
  const body = text.slice(0, -1);
  if (gs1CheckDigit(body) === text.charCodeAt(text.length - 1) - 48 && pattern.test(body)) return body;
  if (text.startsWith('0') && pattern.test(text.slice(1))) return text.slice(1);
  return null;
}
