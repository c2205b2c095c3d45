import type { GreyImage } from '../image/grey-image.ts';
import { darkBytes, paperCarry } from '../image/paper-words.ts';

/** Word-sized ink, in millimetres of an A4 page: taller than a speck, shorter than a box strip, a code or a square. */
const WORD_MIN_THICKNESS_MM = 1;
const WORD_MAX_THICKNESS_MM = 4.5;
const WORD_MAX_LENGTH_MM = 120;
/** a word is longer than it is thick; a square (box, registration mark, one letter) says nothing about direction */
const WORD_MIN_ELONGATION = 1.6;
/** a rule or a box edge is far thinner for its length than any run of letters */
const WORD_MAX_ELONGATION = 25;
/** letters fill the middle of a word; a strip of empty boxes or a frame is hollow there */
const WORD_MIN_CORE_INK = 0.45;
const A4_SHORT_MM = 210;

/** One word-like component: its centre and size in image pixels. */
export interface Word {
  cx: number;
  cy: number;
  /** extent across the writing direction: the height of the letters */
  thickness: number;
  /** extent along it */
  length: number;
  /** runs along the image rows */
  horizontal: boolean;
}

/** Component labels, kept between calls on a thread (used only while isolateText runs) and grown when needed. */
let keptLabels = new Int32Array(0);

export interface IsolatedText {
  /** 0 = word ink, 255 = anything else */
  mask: GreyImage;
  words: Word[];
}

/**
 * Keeps only the ink of printed and written words: connected ink whose size and shape are those of a run of letters
 * on this page. Lines, box grids, tables, frames, registration squares and codes are left out, because they show
 * line structure in both directions (a grid of answer boxes in columns has more of it along the columns than the
 * text has along the rows) while words only ever run along the text lines.
 * Returns a bilevel image of the same size and the words found.
 */
export function isolateText(image: GreyImage, threshold: number): IsolatedText {
  const { width, height, data } = image;
  const pxPerMm = Math.min(width, height) / A4_SHORT_MM;
  const minThick = Math.max(2, WORD_MIN_THICKNESS_MM * pxPerMm);
  const maxThick = WORD_MAX_THICKNESS_MM * pxPerMm;
  const maxLength = WORD_MAX_LENGTH_MM * pxPerMm;
  if (keptLabels.length < width * height) keptLabels = new Int32Array(width * height);
  const labels = keptLabels.subarray(0, width * height).fill(-1);
  const out = new Uint8Array(width * height).fill(255);
  const words: Word[] = [];
  const stack: number[] = [];
  const members: number[] = [];
  let next = 0;
  // four pixels without ink are passed over at once (paper-words.ts)
  const carry = paperCarry(threshold);
  const pixels = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const total = labels.length;
  for (let start = 0; start < total; start++) {
    if (carry !== null && start + 4 <= total && darkBytes(pixels.getUint32(start, true), carry) === 0) {
      start += 3;
      continue;
    }
    if ((labels[start] as number) >= 0 || (data[start] as number) >= threshold) continue;
    labels[start] = next;
    stack.push(start);
    members.length = 0;
    let minX = width;
    let maxX = -1;
    let minY = height;
    let maxY = -1;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      members.push(i);
      const x = i % width;
      const y = (i / width) | 0;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if ((labels[j] as number) < 0 && (data[j] as number) < threshold) {
            labels[j] = next;
            stack.push(j);
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const thick = Math.min(w, h);
    const long = Math.max(w, h);
    if (thick < minThick || thick > maxThick || long > maxLength || long < thick * WORD_MIN_ELONGATION || long > thick * WORD_MAX_ELONGATION) {
      next++;
      continue;
    }
    // ink along the middle of the component, lengthwise
    let core = 0;
    if (w >= h) {
      const row = (minY + (h >> 1)) * width;
      for (let x = minX; x <= maxX; x++) if ((labels[row + x] as number) === next) core++;
    } else {
      const column = minX + (w >> 1);
      for (let y = minY; y <= maxY; y++) if ((labels[y * width + column] as number) === next) core++;
    }
    if (core >= long * WORD_MIN_CORE_INK) {
      for (const i of members) out[i] = 0;
      words.push({ cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, thickness: thick, length: long, horizontal: w >= h });
    }
    next++;
  }
  return { mask: { width, height, data: out }, words };
}
