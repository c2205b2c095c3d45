import type { GreyImage } from '../image/grey-image.ts';
import { darkBytes, paperCarry } from '../image/paper-words.ts';

export interface SkewEstimate {
  /** 'rows' when text lines run along the image rows (upright or upside down), 'columns' when turned by 90° */
  axis: 'rows' | 'columns';
  /** clockwise skew of the content in degrees, within ±6 */
  degrees: number;
  /** how much more line structure the chosen axis shows than the other (1 = none) */
  confidence: number;
}

/** Ink samples the profiles are built from: fewer make the profile's sharpness noisy (a few samples per bin). */
const MAX_INK_POINTS = 40_000;

interface Ink {
  /** single-precision values (Math.fround) held as doubles: read in the profiles' inner loop without conversion */
  xs: Float64Array;
  ys: Float64Array;
  count: number;
}

/** Offsets of the ink pixels one collectInk call found, kept between calls on a thread and grown when needed. */
let inkOffsets = new Int32Array(1 << 16);
/**
 * The points, the same points grouped by band (bandInk) and the profile's bins, kept between calls on a thread as well:
 * estimateSkew and refineSkew each use them only while they run, and neither runs inside the other. Allocating them
 * afresh cost about 3 MB of zeroed memory a page, and the collections that follow.
 */
const keptPoints = { xs: new Float64Array(MAX_INK_POINTS), ys: new Float64Array(MAX_INK_POINTS) };
const keptBanded = { across: new Float64Array(MAX_INK_POINTS), along: new Float64Array(MAX_INK_POINTS) };
const keptBands = new Uint8Array(MAX_INK_POINTS);
/** bandInk's mark for a point in no band. */
const NO_BAND = 255;
let keptBins = new Float64Array(0);

/** The profile's bins for `length` values, all zero (profileEnergy leaves them so). */
function binsFor(length: number): Float64Array {
  if (keptBins.length < length) keptBins = new Float64Array(length);
  return keptBins.subarray(0, length);
}

/**
 * Ink pixels (every `step`-th row and column) as points; at most MAX_INK_POINTS, evenly thinned. One pass over the
 * image notes where the ink is; the thinning then picks from those notes.
 */
function collectInk(image: GreyImage, threshold: number, step = 1): Ink {
  const { width, height, data } = image;
  // skip the outer band: black scanner borders and punched holes are not content
  const mx = Math.floor(width * 0.05);
  const my = Math.floor(height * 0.05);
  let count = 0;
  let offsets = inkOffsets;
  // four pixels without ink are passed over at once (paper-words.ts): the samples of a step of 1 or 2
  const carry = step <= 2 ? paperCarry(threshold) : null;
  const words = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let y = my; y < height - my; y += step) {
    const end = y * width + width - mx;
    for (let at = y * width + mx; at < end; at += step) {
      if (carry !== null && at + 4 <= end && darkBytes(words.getUint32(at, true), carry) === 0) {
        at += 4 - step;
        continue;
      }
      if ((data[at] as number) < threshold) {
        if (count === offsets.length) {
          const grown = new Int32Array(count * 2);
          grown.set(offsets);
          offsets = grown;
          inkOffsets = grown;
        }
        offsets[count++] = at;
      }
    }
  }
  const stride = Math.max(1, Math.ceil(count / MAX_INK_POINTS));
  const n = Math.ceil(count / stride);
  const xs = keptPoints.xs.subarray(0, n);
  const ys = keptPoints.ys.subarray(0, n);
  let jitter = 1;
  for (let k = 0; k < n; k++) {
    const at = offsets[k * stride] as number;
    const y = (at / width) | 0;
    const x = at - y * width;
    // spread over the pixel's area: points on the integer lattice line up best at exactly 0°, whatever the page
    jitter = (jitter * 1103515245 + 12345) >>> 0;
    xs[k] = Math.fround(x + ((jitter & 0xffff) / 0x10000 - 0.5) * step);
    ys[k] = Math.fround(y + ((jitter >>> 16) / 0x10000 - 0.5) * step);
  }
  return { xs, ys, count: n };
}

/**
 * Bands the profile is taken in, side by side along the lines. One profile over the whole width aliases on forms
 * with columns of equally spaced rows (two columns of answer boxes): at the angle where one column's rows drift by
 * one row pitch across to the other's, they line up again and the profile is as sharp as at the true angle.
 * Within a band that drift is a fraction of a pitch, so only the true angle makes every band sharp.
 */
const BANDS = 4;
/** How far from the reduced page's estimate the full page is searched, degrees. */
const REFINE_REACH = 1;
/** Tenths of a degree between the angles of refineSkew's first pass. */
const REFINE_STRIDE = 2;

/** Ink points grouped by the band they fall in, across and along the lines, for one direction of the lines. */
interface BandedInk {
  across: Float64Array;
  along: Float64Array;
  /** band k's points are [ends[k], ends[k + 1]) */
  ends: Int32Array;
}

/**
 * The ink points grouped by band, each band's in their order in `ink`: the band a point falls in depends only on
 * its position along the lines, not on the angle tried, so it is worked out once per direction, and each bin of a
 * profile still gets its points' shares added in the same order.
 */
function bandInk(ink: Ink, alongRows: boolean, extent: number): BandedInk {
  const bandOf = BANDS / Math.max(1, extent);
  const acrossSource = alongRows ? ink.ys : ink.xs;
  const alongSource = alongRows ? ink.xs : ink.ys;
  const bands = keptBands.subarray(0, ink.count);
  const ends = new Int32Array(BANDS + 1);
  for (let i = 0; i < ink.count; i++) {
    // a point spread off the image's first column or row (by up to half a step, on an image so small that its
    // margin is narrower) is in no band, and adds to no profile, as before bands were grouped
    const scaled = (alongSource[i] as number) * bandOf;
    const band = scaled < 0 ? NO_BAND : Math.min(BANDS - 1, scaled | 0);
    bands[i] = band;
    if (band !== NO_BAND) ends[band + 1] = (ends[band + 1] as number) + 1;
  }
  for (let band = 0; band < BANDS; band++) ends[band + 1] = (ends[band + 1] as number) + (ends[band] as number);
  const next = ends.slice(0, BANDS);
  const across = keptBanded.across.subarray(0, ink.count);
  const along = keptBanded.along.subarray(0, ink.count);
  for (let i = 0; i < ink.count; i++) {
    const band = bands[i] as number;
    if (band === NO_BAND) continue;
    const at = next[band] as number;
    next[band] = at + 1;
    across[at] = acrossSource[i] as number;
    along[at] = alongSource[i] as number;
  }
  return { across, along, ends };
}

/**
 * Sharpness of the projection profile along direction `angle` (its sum of squares): lines give tall, narrow peaks.
 * `bins` must be all zero, and are left so: only the bins the points reach are summed and cleared (the points span
 * the page, a share of the bins' reach, which is sized for any angle).
 */
function profileEnergy(ink: BandedInk, angle: number, alongRows: boolean, bins: Float64Array, size: number): number {
  const rad = (angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const shift = (size / 2) * 0.25;
  // coordinate across the lines after undoing a clockwise skew of `angle`: y·cos − x·sin along rows, x·cos + y·sin
  // along columns
  const { across, along, ends } = ink;
  const alongFactor = alongRows ? -sin : sin;
  // within a band, the lowest and highest bin a point's first share reached (its second share lands one higher)
  let low = size;
  let high = -1;
  for (let band = 0; band < BANDS; band++) {
    const first = band * size;
    for (let i = ends[band] as number, end = ends[band + 1] as number; i < end; i++) {
      // split between the two nearest bins: rounding to one bin makes the sharpness jump with the angle on the pixel grid
      const at = (across[i] as number) * cos + (along[i] as number) * alongFactor + shift;
      if (at < 0) continue;
      // the floor, for a number that is not negative
      const b = at | 0;
      if (b + 1 >= size) continue;
      const w = at - b;
      const bin = first + b;
      bins[bin] = (bins[bin] as number) + 1 - w;
      bins[bin + 1] = (bins[bin + 1] as number) + w;
      if (b < low) low = b;
      if (b > high) high = b;
    }
  }
  let energy = 0;
  // bins no point reached are 0 and add nothing to the sum
  for (let band = 0; band < BANDS && high >= low; band++) {
    const end = band * size + high + 2;
    for (let b = band * size + low; b < end; b++) {
      const v = bins[b] as number;
      energy += v * v;
      bins[b] = 0;
    }
  }
  return energy;
}

/**
 * Finds the direction of the text lines and the skew from projection profiles of a reduced page: the profile
 * across the lines is sharpest at the true angle. With `axis` given, only that direction is refined (the way up is
 * already known, e.g. from a barcode) and `confidence` is 1 (not measured). On a reduced page the thin lines of a
 * form fall on a coarse pixel grid and the sharpness jumps by tenths of a degree; for the angle itself give the full
 * page, sampled every `step` pixels, or leave the tenths to refineSkew (`fine` false: the coarse step's angle).
 */
export function estimateSkew(image: GreyImage, threshold: number, axis?: SkewEstimate['axis'], step = 1, fine = true): SkewEstimate {
  const ink = collectInk(image, threshold, step);
  if (ink.count < 200) return { axis: axis ?? 'rows', degrees: 0, confidence: 1 };
  const size = Math.ceil(Math.hypot(image.width, image.height) * 1.3);
  const bins = binsFor(size * BANDS);
  const coarse = { rows: { degrees: 0, energy: -1 }, columns: { degrees: 0, energy: -1 } };
  // half-degree steps when choosing the axis: the true peak is about half a degree wide, a grid of whole degrees can
  // fall either side of it and pick a broader, lower one. With the axis known the other direction is not searched,
  // and whole degrees do: refineSkew searches a degree either side on the full page.
  const coarseStep = axis === undefined ? 0.5 : 1;
  const banded = (direction: SkewEstimate['axis']): BandedInk => bandInk(ink, direction === 'rows', direction === 'rows' ? image.width : image.height);
  let lastBanded: { direction: SkewEstimate['axis']; ink: BandedInk } | null = null;
  for (const direction of axis === undefined ? (['rows', 'columns'] as const) : [axis]) {
    lastBanded = { direction, ink: banded(direction) };
    for (let a = -6; a <= 6; a += coarseStep) {
      const e = profileEnergy(lastBanded.ink, a, direction === 'rows', bins, size);
      if (e > coarse[direction].energy) coarse[direction] = { degrees: a, energy: e };
    }
  }
  const chosen: SkewEstimate['axis'] = axis ?? (coarse.rows.energy >= coarse.columns.energy ? 'rows' : 'columns');
  const best = coarse[chosen];
  // refine around the coarse optimum (unless refineSkew will, on the full page)
  let refined = best.degrees;
  let refinedEnergy = best.energy;
  // the points are grouped for one direction at a time (one kept buffer): again for the chosen one if need be
  const chosenInk = fine ? (lastBanded?.direction === chosen ? lastBanded.ink : banded(chosen)) : null;
  for (let a = best.degrees - 0.4; chosenInk !== null && a <= best.degrees + 0.4; a += 0.1) {
    const e = profileEnergy(chosenInk, a, chosen === 'rows', bins, size);
    if (e > refinedEnergy) {
      refinedEnergy = e;
      refined = a;
    }
  }
  const other = chosen === 'rows' ? coarse.columns.energy : coarse.rows.energy;
  // a quarter turn does not change a clockwise skew, so one sign convention serves both axes
  return { axis: chosen, degrees: Math.round(refined * 100) / 100, confidence: other > 0 ? refinedEnergy / other : axis === undefined ? 10 : 1 };
}

/**
 * The skew to a tenth of a degree on the full page (sampled every `step` pixels) near an estimate from the reduced
 * page: there thin rules fall on a coarse pixel grid and the profile's sharpness jumps by tenths of a degree.
 */
export function refineSkew(page: GreyImage, threshold: number, axis: SkewEstimate['axis'], around: number, step = 2): number {
  const ink = collectInk(page, threshold, step);
  if (ink.count < 200) return around;
  const size = Math.ceil(Math.hypot(page.width, page.height) * 1.3);
  const bins = binsFor(size * BANDS);
  const banded = bandInk(ink, axis === 'rows', axis === 'rows' ? page.width : page.height);
  let best = around;
  let bestEnergy = -1;
  const tryAngle = (a: number): void => {
    const e = profileEnergy(banded, a, axis === 'rows', bins, size);
    if (e > bestEnergy) {
      bestEnergy = e;
      best = a;
    }
  };
  // every REFINE_STRIDE tenths across the reach, then the tenths either side of the best: a rule's peak is wider
  // than the stride, so the first pass lands on its slope and the second on its top
  for (let tenths = -REFINE_REACH * 10; tenths <= REFINE_REACH * 10; tenths += REFINE_STRIDE) tryAngle(around + tenths / 10);
  const coarse = best;
  for (let tenths = 1; tenths < REFINE_STRIDE; tenths++) {
    tryAngle(coarse - tenths / 10);
    tryAngle(coarse + tenths / 10);
  }
  return Math.round(best * 100) / 100;
}
