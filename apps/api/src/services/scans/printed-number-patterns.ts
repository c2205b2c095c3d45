import type { ReadDigit } from './digit-reader.ts';

/** Below this, a digit tesseract read is treated as unread: a wrong digit is worse than a gap. */
export const SURE_DIGIT_CONFIDENCE = 60;
/** A partly read number is looked up only with at least this many sure digits. */
export const MIN_SURE_DIGITS = 9;

export interface PrintedNumberRead {
  /** every place of the number read, left to right, each digit sure: the read alone is a whole number */
  whole: string | null;
  /** SQL LIKE patterns (`_` for an unread place) of the numbers the read fits, all of `length` places */
  patterns: string[];
  /** sure digits in the read */
  sureDigits: number;
  /** the read's places (as in the patterns, without the free ends) with unsure digits too: ranks candidates, never narrows */
  soft: string;
}

/**
 * Places the digits of one read line on the number's grid of places: printed digits stand at a fixed pitch, so a
 * scratched-out digit leaves a gap of one pitch, which becomes an unread place rather than closing up. A symbol much
 * wider than a digit (a blot, two digits run together), unsure, or off the grid is not used: a wrong digit is worse
 * than a gap, and a gap is narrowed by the registry.
 */
export function printedNumberPatterns(digits: ReadDigit[], length: number): PrintedNumberRead | null {
  const widths = digits.map((d) => d.x1 - d.x0).sort((a, b) => a - b);
  const typical = widths[Math.floor(widths.length / 2)] ?? 0;
  const usable = digits.filter((d) => d.confidence >= SURE_DIGIT_CONFIDENCE && d.x1 - d.x0 <= typical * 1.45);
  if (usable.length < 2) return null;
  const centres = usable.map((d) => (d.x0 + d.x1) / 2);
  // the pitch and phase that put the most sure digits on one grid of at most `length` places; tesseract's boxes
  // wander by a few pixels and runs of lost digits leave long steps, so no single step is trusted
  let best = { count: 0, residual: Infinity, pitch: 0, anchor: 0 };
  // no narrower than a glyph: half the pitch would fit every digit too
  for (let pitch = typical * 0.9; pitch <= typical * 1.8; pitch += 0.25) {
    for (const anchor of centres) {
      let count = 0;
      let residual = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of centres) {
        const exact = (c - anchor) / pitch;
        const off = Math.abs(exact - Math.round(exact));
        if (off > 0.3) continue;
        count++;
        residual += off;
        lo = Math.min(lo, Math.round(exact));
        hi = Math.max(hi, Math.round(exact));
      }
      if (hi - lo + 1 > length) continue;
      if (count > best.count || (count === best.count && residual < best.residual)) best = { count, residual, pitch, anchor };
    }
  }
  if (best.count < 2) return null;
  const { pitch, anchor } = best;
  const first = Math.min(...centres.filter((c) => Math.abs((c - anchor) / pitch - Math.round((c - anchor) / pitch)) <= 0.3));
  const places = new Map<number, ReadDigit | null>();
  for (let i = 0; i < usable.length; i++) {
    const exact = ((centres[i] ?? 0) - first) / pitch;
    const place = Math.round(exact);
    if (Math.abs(exact - place) > 0.3) continue; // off the grid: not trusted
    const digit = usable[i];
    if (!digit) continue;
    // two symbols on one place disagree with the grid: the place stays unread
    places.set(place, places.has(place) ? null : digit);
  }
  if (places.size === 0) return null;
  const span = Math.max(...places.keys()) + 1;
  if (span > length) return null;
  const grid: string[] = [];
  let sureDigits = 0;
  for (let p = 0; p < span; p++) {
    const d = places.get(p);
    if (d) {
      grid.push(d.digit);
      sureDigits++;
    } else grid.push('_');
  }
  const read = grid.join('');
  const whole = span === length && sureDigits === length ? read : null;
  // unsure digits that sit on the grid, where no sure one does: a weak hint between candidates the sure ones left
  const soft = grid.slice();
  const unsure = digits.filter((d) => !usable.includes(d) && d.x1 - d.x0 <= typical * 1.45).sort((a, b) => b.confidence - a.confidence);
  for (const d of unsure) {
    const exact = ((d.x0 + d.x1) / 2 - first) / pitch;
    const place = Math.round(exact);
    if (place >= 0 && place < span && Math.abs(exact - place) <= 0.3 && soft[place] === '_') soft[place] = d.digit;
  }
  if (sureDigits < MIN_SURE_DIGITS) return { whole, patterns: [], sureDigits, soft: soft.join('') };
  const patterns: string[] = [];
  // the unread places past either end of the read: every split of them
  for (let before = 0; before <= length - span; before++) patterns.push('_'.repeat(before) + read + '_'.repeat(length - span - before));
  return { whole, patterns, sureDigits, soft: soft.join('') };
}

/** How many places of `soft` (read at some offset into the number) a candidate agrees with, at its best offset. */
export function softAgreement(soft: string, candidate: string): number {
  let best = 0;
  for (let offset = 0; offset + soft.length <= candidate.length; offset++) {
    let agree = 0;
    for (let i = 0; i < soft.length; i++) if (soft[i] !== '_' && soft[i] === candidate[offset + i]) agree++;
    best = Math.max(best, agree);
  }
  return best;
}

/** The same patterns with one sure digit at a time let go: a digit misread as another still finds its number. */
export function loosenedPatterns(patterns: string[]): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '_') out.add(`${pattern.slice(0, i)}_${pattern.slice(i + 1)}`);
  }
  return [...out];
}
