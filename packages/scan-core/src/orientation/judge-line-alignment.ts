import type { GreyImage } from '../image/grey-image.ts';

/**
 * Left-aligned text is the norm on Russian (and Latin) forms: lines start at a few shared margins and end ragged.
 * Upside down, the ragged side is on the left. Returns > 1 when the image looks right way up, < 1 when it looks
 * upside down (the ratio of line-start to line-end concentration). Expects text lines along the rows.
 */
export function judgeLineAlignment(image: GreyImage, threshold: number): number {
  const { width, height, data } = image;
  const mx = Math.floor(width * 0.06);
  const my = Math.floor(height * 0.04);
  const starts = new Float64Array(width);
  const ends = new Float64Array(width);
  let rows = 0;
  for (let y = my; y < height - my; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    let count = 0;
    for (let x = mx; x < width - mx; x++) {
      if ((data[row + x] ?? 255) < threshold) {
        if (first < 0) first = x;
        last = x;
        count++;
      }
    }
    // rows of a frame or a rule are symmetric and say nothing; skip nearly full rows and empty ones
    if (first < 0 || count > (width - 2 * mx) * 0.6) continue;
    starts[first] = (starts[first] ?? 0) + 1;
    ends[width - 1 - last] = (ends[width - 1 - last] ?? 0) + 1;
    rows++;
  }
  if (rows < 10) return 1;
  const concentration = (hist: Float64Array): number => {
    let sum = 0;
    for (let x = 1; x < width - 1; x++) {
      // tolerate one pixel of jitter at this scale
      const window = (hist[x - 1] ?? 0) + (hist[x] ?? 0) + (hist[x + 1] ?? 0);
      sum += window * window;
    }
    return sum;
  };
  const s = concentration(starts);
  const e = concentration(ends);
  return (s + 1) / (e + 1);
}
