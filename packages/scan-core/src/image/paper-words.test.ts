/**
 * darkBytes tells paper four pixels at a time: for every threshold it takes, it must say 0 exactly when a pixel by
 * pixel comparison finds no dark pixel, and never leave a dark pixel's byte unmarked, whatever its neighbours hold.
 */
import { describe, expect, it } from 'vitest';
import { darkBytes, paperCarry } from './paper-words.ts';

/** The top bit of each byte below `threshold`, one pixel at a time. */
function darkOneByOne(word: number, threshold: number): number {
  let marks = 0;
  for (let lane = 0; lane < 4; lane++) if (((word >>> (8 * lane)) & 0xff) < threshold) marks |= 0x80 << (8 * lane);
  return marks >>> 0;
}

/** Every dark pixel marked, and nothing marked when there is none (a mark may spill beside a dark pixel). */
const agrees = (marks: number, dark: number): boolean => (marks & dark) >>> 0 === dark && (marks === 0) === (dark === 0);

describe('darkBytes', () => {
  it('makes no test where it cannot be exact: thresholds at or below mid-grey, or above white', () => {
    expect(paperCarry(128)).not.toBeNull();
    expect(paperCarry(127.5)).not.toBeNull();
    expect(paperCarry(127)).toBeNull();
    expect(paperCarry(0)).toBeNull();
    expect(paperCarry(255)).not.toBeNull();
    expect(paperCarry(255.5)).toBeNull();
    expect(paperCarry(300)).toBeNull();
  });

  it('is 0 exactly for four paper pixels, and marks every pixel below the threshold, in every lane, beside any neighbours', () => {
    let seed = 12345;
    const neighbours = [0x00, 0x7f, 0x80, 0xff];
    const wrong: string[] = [];
    let checked = 0;
    for (let threshold = 127.5; threshold <= 255; threshold += 0.5) {
      const carry = paperCarry(threshold);
      if (carry === null) throw new Error(`no test for ${threshold}`);
      for (let lane = 0; lane < 4; lane++) {
        for (let value = 0; value < 256; value++) {
          for (const other of neighbours) {
            let word = 0;
            for (let k = 0; k < 4; k++) word |= (k === lane ? value : other) << (8 * k);
            checked++;
            if (!agrees(darkBytes(word, carry) >>> 0, darkOneByOne(word, threshold))) wrong.push(`${threshold}: ${(word >>> 0).toString(16)}`);
          }
        }
      }
      for (let k = 0; k < 200; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        checked++;
        if (!agrees(darkBytes(seed | 0, carry) >>> 0, darkOneByOne(seed, threshold))) wrong.push(`${threshold}: ${seed.toString(16)}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(1_000_000);
  });
});
