import sharp from 'sharp';

/**
 * Finds the line of digits printed under (or over) a blank-number barcode on an upright page and cuts it out for
 * OCR. The search is the top third of the page, where the forms carry their code. Rows are classed by their
 * black/white changes: a band of rows whose dark columns run through the whole band is bars; a short band of many
 * changes beside the bars is the printed number. When no bars are left (a code scratched away), every short band
 * of many changes in the search area is tried.
 */

sharp.cache(false);

export interface DigitLineCrop {
  /** the crop, greyscale PNG, scaled up so a digit is ~50 px tall */
  png: Buffer;
  /** the crop's box in the page, pixels */
  box: { left: number; top: number; width: number; height: number };
  /** share of dark pixels between two x positions of the crop (a blot is nearly all dark, a digit is not) */
  inkShare: (x0: number, x1: number) => number;
  /** whether the line sits beside bars (a code's own number) rather than found alone */
  besideBars: boolean;
}

interface Band {
  top: number;
  bottom: number;
  bars: boolean;
  changes: number;
  /** the bars' horizontal extent, for a band of bars */
  x0: number;
  x1: number;
}

const SEARCH_SHARE = 0.34;
const MIN_CHANGES = 16;

export async function findDigitLineCrops(uprightJpeg: Uint8Array, limit = 3): Promise<DigitLineCrop[]> {
  const meta = await sharp(uprightJpeg, { limitInputPixels: 80_000_000 }).metadata();
  const pageWidth = meta.width ?? 0;
  const pageHeight = meta.height ?? 0;
  if (pageWidth < 50 || pageHeight < 50) return [];
  const searchHeight = Math.round(pageHeight * SEARCH_SHARE);
  const { data, info } = await sharp(uprightJpeg, { limitInputPixels: 80_000_000 })
    .extract({ left: 0, top: 0, width: pageWidth, height: searchHeight })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const dark = (x: number, y: number) => (data[y * w + x] ?? 255) < 128;

  const changes = new Array<number>(h).fill(0);
  for (let y = 0; y < h; y++) {
    let prev = false;
    let count = 0;
    for (let x = 0; x < w; x++) {
      const d = dark(x, y);
      if (d !== prev) count++;
      prev = d;
    }
    changes[y] = count;
  }

  const bands: Band[] = [];
  for (let y = 0; y < h; ) {
    if ((changes[y] ?? 0) < MIN_CHANGES) {
      y++;
      continue;
    }
    const top = y;
    let total = 0;
    while (y < h && (changes[y] ?? 0) >= MIN_CHANGES) total += changes[y++] ?? 0;
    const bottom = y;
    const height = bottom - top;
    if (height < 4) continue;
    // bars: many columns dark through the whole band, close together (other print in the same rows is not)
    const full: number[] = [];
    for (let x = 0; x < w; x++) {
      let run = 0;
      for (let yy = top; yy < bottom; yy++) if (dark(x, yy)) run++;
      if (run >= height * 0.9) full.push(x);
    }
    const x0 = full[0] ?? 0;
    const x1 = full[full.length - 1] ?? 0;
    const bars = height >= pageHeight * 0.008 && full.length >= 30 && full.length / (x1 - x0 + 1) >= 0.25 && x1 - x0 < w * 0.7;
    bands.push({ top, bottom, bars, changes: total / height, x0, x1 });
  }

  const minText = pageHeight * 0.004;
  const maxText = pageHeight * 0.022;
  const gapMax = pageHeight * 0.025;
  const textBands = bands.filter((b) => !b.bars && b.bottom - b.top >= minText && b.bottom - b.top <= maxText);
  const barBands = bands.filter((b) => b.bars);

  /** horizontal extent of the bars above or below a text band, if any are near */
  function barsNear(band: Band): { x0: number; x1: number } | null {
    const near = barBands.filter((b) => (band.top >= b.bottom && band.top - b.bottom <= gapMax) || (b.top >= band.bottom && b.top - band.bottom <= gapMax));
    if (near.length === 0) return null;
    return { x0: Math.min(...near.map((b) => b.x0)), x1: Math.max(...near.map((b) => b.x1)) };
  }

  const candidates = textBands
    .map((band) => ({ band, bars: barsNear(band) }))
    .sort((a, b) => Number(b.bars !== null) - Number(a.bars !== null) || b.band.changes - a.band.changes);
  const crops: DigitLineCrop[] = [];
  for (const { band, bars } of candidates) {
    if (crops.length >= limit) break;
    if (crops.length > 0 && bars === null && crops.some((c) => c.besideBars)) break;
    // the ink of the line, within the width of the bars (widened a little) when there are bars
    const spanX0 = bars ? Math.max(0, bars.x0 - Math.round((bars.x1 - bars.x0) * 0.15)) : 0;
    const spanX1 = bars ? Math.min(w - 1, bars.x1 + Math.round((bars.x1 - bars.x0) * 0.15)) : w - 1;
    let x0 = -1;
    let x1 = -1;
    for (let x = spanX0; x <= spanX1; x++) {
      for (let y = band.top; y < band.bottom; y++) {
        if (dark(x, y)) {
          if (x0 < 0) x0 = x;
          x1 = x;
          break;
        }
      }
    }
    if (x0 < 0) continue;
    const bandHeight = band.bottom - band.top;
    const padX = Math.round(bandHeight * 0.8);
    const padY = Math.round(bandHeight * 0.35);
    const left = Math.max(0, x0 - padX);
    const top = Math.max(0, band.top - padY);
    const width = Math.min(w, x1 + padX + 1) - left;
    const height = Math.min(h, band.bottom + padY) - top;
    const scale = Math.max(1, 50 / bandHeight);
    const scaled = await sharp(uprightJpeg, { limitInputPixels: 80_000_000 })
      .extract({ left, top, width, height })
      .greyscale()
      .resize({ width: Math.round(width * scale), kernel: 'lanczos3' })
      .extend({ top: 10, bottom: 10, left: 10, right: 10, background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sw = scaled.info.width;
    const sh = scaled.info.height;
    const png = await sharp(scaled.data, { raw: { width: sw, height: sh, channels: 1 } }).png().toBuffer();
    const inkShare = (sx0: number, sx1: number): number => {
      let inked = 0;
      let all = 0;
      for (let y = 10; y < sh - 10; y++) {
        for (let x = Math.max(0, Math.floor(sx0)); x <= Math.min(sw - 1, Math.ceil(sx1)); x++) {
          all++;
          if ((scaled.data[y * sw + x] ?? 255) < 128) inked++;
        }
      }
      return all === 0 ? 0 : inked / all;
    };
    crops.push({ png, inkShare, box: { left, top, width, height }, besideBars: bars !== null });
  }
  return crops;
}
