import type { Rect } from '../image/crop-grey.ts';
import { clampRect } from '../image/crop-grey.ts';
import type { GreyImage } from '../image/grey-image.ts';
import type { Levels } from '../image/measure-levels.ts';

export interface CodeRegion extends Rect {
  /** higher = more barcode-like */
  score: number;
  /** 'linear' when transitions run one way only (bars), 'matrix' when both */
  kind: 'linear' | 'matrix';
}

const BLOCK = 16;

/**
 * Finds page regions that look like barcodes, without assuming where a form prints them: blocks dense in sharp
 * light/dark transitions, either one way only (bars of a linear code, at any of the four turns) or both ways with
 * about half the area dark (matrix codes). Connected blocks become candidate regions, best first.
 */
export function locateCodeRegions(image: GreyImage, levels: Levels, maxRegions = 6): CodeRegion[] {
  const { width, height, data } = image;
  const bw = Math.floor(width / BLOCK);
  const bh = Math.floor(height / BLOCK);
  if (bw < 2 || bh < 2) return [];
  const step = Math.max(12, (levels.paper - levels.ink) * 0.3);
  const mid = (levels.paper + levels.ink) / 2;
  const hCount = new Uint16Array(bw * bh);
  const vCount = new Uint16Array(bw * bh);
  const dark = new Uint16Array(bw * bh);
  // horizontal transitions and darkness along every 4th row
  for (let y = 2; y < bh * BLOCK; y += 4) {
    const row = y * width;
    const by = (y / BLOCK) | 0;
    const base = by * bw;
    let prev = data[row] ?? 255;
    for (let x = 1; x < bw * BLOCK; x++) {
      const v = data[row + x] ?? 255;
      const d = v - prev;
      const b = base + ((x / BLOCK) | 0);
      if (d > step || d < -step) hCount[b] = (hCount[b] ?? 0) + 1;
      if (v < mid) dark[b] = (dark[b] ?? 0) + 1;
      prev = v;
    }
  }
  // vertical transitions along every 4th column
  for (let x = 2; x < bw * BLOCK; x += 4) {
    const bx = (x / BLOCK) | 0;
    let prev = data[x] ?? 255;
    for (let y = 1; y < bh * BLOCK; y++) {
      const v = data[y * width + x] ?? 255;
      const d = v - prev;
      if (d > step || d < -step) {
        const b = ((y / BLOCK) | 0) * bw + bx;
        vCount[b] = (vCount[b] ?? 0) + 1;
      }
      prev = v;
    }
  }
  const samples = (BLOCK / 4) * BLOCK;
  const strength = new Float32Array(bw * bh);
  const linear = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    const h = (hCount[i] ?? 0) / samples;
    const v = (vCount[i] ?? 0) / samples;
    const d = (dark[i] ?? 0) / samples;
    const hi = Math.max(h, v);
    const lo = Math.min(h, v);
    if (hi >= 0.14 && lo * 3.5 <= hi && d >= 0.2 && d <= 0.85) {
      strength[i] = hi;
      linear[i] = 1;
    } else if (lo >= 0.09 && d >= 0.28 && d <= 0.8) {
      strength[i] = (h + v) / 2;
    }
  }
  // connected components over the block grid (8-neighbourhood, one-block gaps bridged for wide bars)
  const label = new Int32Array(bw * bh).fill(-1);
  const regions: CodeRegion[] = [];
  const stack: number[] = [];
  for (let start = 0; start < bw * bh; start++) {
    if ((strength[start] ?? 0) === 0 || (label[start] ?? 0) >= 0) continue;
    label[start] = regions.length;
    stack.push(start);
    let minX = bw;
    let minY = bh;
    let maxX = 0;
    let maxY = 0;
    let sum = 0;
    let blocks = 0;
    let linearBlocks = 0;
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      const x = i % bw;
      const y = (i / bw) | 0;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      sum += strength[i] ?? 0;
      blocks++;
      linearBlocks += linear[i] ?? 0;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          const j = ny * bw + nx;
          if ((strength[j] ?? 0) > 0 && (label[j] ?? 0) < 0) {
            label[j] = regions.length;
            stack.push(j);
          }
        }
      }
    }
    const spanX = maxX - minX + 1;
    const spanY = maxY - minY + 1;
    // a code is compact; a lone block is noise, a page-wide band is text or a frame
    if (blocks < 3 || spanX * spanY > bw * bh * 0.15) {
      regions.push({ x: 0, y: 0, width: 0, height: 0, score: -1, kind: 'matrix' });
      continue;
    }
    const fill = blocks / (spanX * spanY);
    const margin = 2 * BLOCK;
    const rect = clampRect(
      { x: minX * BLOCK - margin, y: minY * BLOCK - margin, width: spanX * BLOCK + 2 * margin, height: spanY * BLOCK + 2 * margin },
      width,
      height,
    );
    if (rect === null) {
      regions.push({ x: 0, y: 0, width: 0, height: 0, score: -1, kind: 'matrix' });
      continue;
    }
    regions.push({ ...rect, score: (sum / blocks) * Math.sqrt(blocks) * (0.5 + fill), kind: linearBlocks * 2 > blocks ? 'linear' : 'matrix' });
  }
  return regions
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, maxRegions);
}
