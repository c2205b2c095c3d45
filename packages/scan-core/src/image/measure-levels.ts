import type { GreyImage } from './grey-image.ts';

export interface Levels {
  /** typical paper brightness */
  paper: number;
  /** typical ink/print darkness */
  ink: number;
}

/**
 * Paper and ink levels from the histogram (percentiles), so thresholds follow the scan: a washed-out page or a
 * bilevel one gets the same treatment as a crisp one. Black scanner borders are excluded by sampling the interior.
 */
export function measureLevels(image: GreyImage): Levels {
  const hist = new Uint32Array(256);
  const mx = Math.floor(image.width * 0.08);
  const my = Math.floor(image.height * 0.08);
  let n = 0;
  // every third row and column: the levels are statistics, a ninth of the pixels gives the same answer
  for (let y = my; y < image.height - my; y += 3) {
    const row = y * image.width;
    for (let x = mx; x < image.width - mx; x += 3) {
      const v = image.data[row + x] as number;
      hist[v] = (hist[v] as number) + 1;
      n++;
    }
  }
  const percentile = (p: number): number => {
    const target = n * p;
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v] ?? 0;
      if (acc >= target) return v;
    }
    return 255;
  };
  const paper = percentile(0.6);
  // the darkest 1 % is print on almost any form; cap so a nearly empty page still gets a sane ink level
  const ink = Math.min(percentile(0.01), paper - 40);
  return { paper, ink: Math.max(0, ink) };
}
