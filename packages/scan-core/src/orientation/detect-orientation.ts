import type { GreyImage } from '../image/grey-image.ts';
import { rotateGrey } from '../image/rotate-grey.ts';
import type { Rotation } from '../page/types.ts';
import { estimateSkew } from './estimate-skew.ts';
import { judgeLineAlignment } from './judge-line-alignment.ts';

export interface Orientation {
  /** clockwise turn to apply to make the page upright */
  rotation: Rotation;
  /** clockwise skew of the content, degrees; undo by turning by -skewDegrees */
  skewDegrees: number;
  source: 'barcode' | 'content';
}

function normalise(degrees: number): Rotation {
  const q = (((Math.round(degrees / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return (q * 90) as Rotation;
}

/**
 * Decides the turn and skew. The text-line direction (content) fixes the axis; the barcode, when read, says which
 * way up — zxing reports the symbol's rotation — unless it disagrees with the axis (some forms print the barcode
 * sideways); otherwise the side where lines align (left) says which way up.
 *
 * @param small a reduced page (any scale); `barcodeRotation` is zxing's clockwise symbol rotation, if a code was read
 */
export function detectOrientation(small: GreyImage, threshold: number, barcodeRotation: number | null): Orientation {
  const skew = estimateSkew(small, threshold);
  const axisTurns: Rotation[] = skew.axis === 'rows' ? [0, 180] : [90, 270];
  if (barcodeRotation !== null) {
    const fromBarcode = normalise(360 - barcodeRotation);
    if (axisTurns.includes(fromBarcode) || skew.confidence < 1.15) {
      return { rotation: fromBarcode, skewDegrees: skew.degrees, source: 'barcode' };
    }
  }
  const base = axisTurns[0] ?? 0;
  const turned = rotateGrey(small, base / 90, -skew.degrees);
  const alignment = judgeLineAlignment(turned, threshold);
  const rotation = alignment >= 1 ? base : normalise(base + 180);
  return { rotation, skewDegrees: skew.degrees, source: 'content' };
}
