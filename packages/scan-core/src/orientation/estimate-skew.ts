import type { GreyImage } from '../image/grey-image.ts';

export interface SkewEstimate {
  /** 'rows' when text lines run along the image rows (upright or upside down), 'columns' when turned by 90° */
  axis: 'rows' | 'columns';
  /** clockwise skew of the content in degrees, within ±6 */
  degrees: number;
  /** how much more line structure the chosen axis shows than the other (1 = none) */
  confidence: number;
}

interface Ink {
  xs: Float32Array;
  ys: Float32Array;
  count: number;
}

function collectInk(image: GreyImage, threshold: number): Ink {
  const { width, height, data } = image;
  // skip the outer band: black scanner borders and punched holes are not content
  const mx = Math.floor(width * 0.05);
  const my = Math.floor(height * 0.05);
  let count = 0;
  for (let y = my; y < height - my; y++) {
    for (let x = mx; x < width - mx; x++) if ((data[y * width + x] ?? 255) < threshold) count++;
  }
  const stride = Math.max(1, Math.ceil(count / 15_000));
  const n = Math.ceil(count / stride);
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  let k = 0;
  let seen = 0;
  for (let y = my; y < height - my; y++) {
    for (let x = mx; x < width - mx; x++) {
      if ((data[y * width + x] ?? 255) < threshold) {
        if (seen++ % stride === 0 && k < n) {
          xs[k] = x;
          ys[k] = y;
          k++;
        }
      }
    }
  }
  return { xs, ys, count: k };
}

/** Sharpness of the projection profile along direction `angle`: text lines give tall, narrow peaks. */
function profileEnergy(ink: Ink, angle: number, alongRows: boolean, bins: Float32Array, size: number): number {
  bins.fill(0);
  const rad = (angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const offset = size / 2;
  for (let i = 0; i < ink.count; i++) {
    const x = ink.xs[i] ?? 0;
    const y = ink.ys[i] ?? 0;
    // coordinate across the lines after undoing a clockwise skew of `angle`
    const p = alongRows ? y * cos - x * sin : x * cos + y * sin;
    const b = Math.round(p + offset * 0.25);
    if (b >= 0 && b < size) bins[b] = (bins[b] ?? 0) + 1;
  }
  let energy = 0;
  for (let b = 1; b < size; b++) {
    const d = (bins[b] ?? 0) - (bins[b - 1] ?? 0);
    energy += d * d;
  }
  return energy;
}

/**
 * Finds the direction of the text lines and the skew from projection profiles of a reduced page: the profile
 * across the lines is sharpest at the true angle. With `axis` given, only that direction is refined (the way up is
 * already known, e.g. from a barcode) and `confidence` still compares the two directions.
 */
export function estimateSkew(image: GreyImage, threshold: number, axis?: SkewEstimate['axis']): SkewEstimate {
  const ink = collectInk(image, threshold);
  if (ink.count < 200) return { axis: axis ?? 'rows', degrees: 0, confidence: 1 };
  const size = Math.ceil(Math.hypot(image.width, image.height) * 1.3);
  const bins = new Float32Array(size);
  const coarse = { rows: { degrees: 0, energy: -1 }, columns: { degrees: 0, energy: -1 } };
  for (const direction of ['rows', 'columns'] as const) {
    for (let a = -6; a <= 6; a += 1) {
      const e = profileEnergy(ink, a, direction === 'rows', bins, size);
      if (e > coarse[direction].energy) coarse[direction] = { degrees: a, energy: e };
    }
  }
  const chosen: SkewEstimate['axis'] = axis ?? (coarse.rows.energy >= coarse.columns.energy ? 'rows' : 'columns');
  const best = coarse[chosen];
  // refine around the coarse optimum
  let refined = best.degrees;
  let refinedEnergy = best.energy;
  for (let a = best.degrees - 0.8; a <= best.degrees + 0.8; a += 0.2) {
    const e = profileEnergy(ink, a, chosen === 'rows', bins, size);
    if (e > refinedEnergy) {
      refinedEnergy = e;
      refined = a;
    }
  }
  const other = chosen === 'rows' ? coarse.columns.energy : coarse.rows.energy;
  // a quarter turn does not change a clockwise skew, so one sign convention serves both axes
  return { axis: chosen, degrees: Math.round(refined * 100) / 100, confidence: other > 0 ? refinedEnergy / other : 10 };
}
