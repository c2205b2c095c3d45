import { describe, expect, it } from 'vitest';
import { formatSeconds, safeNextPath } from './sign-in-messages.ts';

describe('safeNextPath', () => {
  it('keeps same-site paths and refuses anything that could leave the site', () => {
    expect(safeNextPath('/users?x=1')).toBe('/users?x=1');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath('https://evil.example/')).toBe('/');
    expect(safeNextPath('//evil.example/')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath('/login?next=/users')).toBe('/');
  });
});

describe('formatSeconds', () => {
  it('uses Russian plural forms', () => {
    expect(formatSeconds(1)).toBe('1 секунда');
    expect(formatSeconds(45)).toBe('45 секунд');
    expect(formatSeconds(61)).toBe('2 минуты');
    expect(formatSeconds(300)).toBe('5 минут');
  });
});
