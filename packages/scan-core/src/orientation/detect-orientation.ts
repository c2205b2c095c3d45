import type { GreyImage } from '../image/grey-image.ts';
import { rotateGrey } from '../image/rotate-grey.ts';
import type { Rotation } from '../shared/types.ts';
import { estimateSkew, refineSkew } from './estimate-skew.ts';
import { isolateText } from './isolate-text.ts';
import type { IsolatedText } from './isolate-text.ts';
import { judgeLineAlignment } from './judge-line-alignment.ts';

export interface Orientation {
  /** clockwise turn to apply to make the page upright */
  rotation: Rotation;
  /** clockwise skew of the content, degrees; undo by turning by -skewDegrees */
  skewDegrees: number;
  source: 'barcode' | 'content';
  /** the text-line axis the page's words alone show; differs from the turn's axis only when a code decided so */
  contentAxis: 'rows' | 'columns';
  /** the way up the page's words alone say; with a code, only when they run across it (else the axis's base turn) */
  contentRotation: Rotation;
}

function normalise(degrees: number): Rotation {
  const q = (((Math.round(degrees / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return (q * 90) as Rotation;
}

/** Share of the thickest words that stand for the heading. */
const HEADING_SHARE = 0.1;
const HEADING_MIN_WORDS = 3;

/**
 * Up or down along the text axis, from the words alone: (a) forms open with their heading, the biggest lettering
 * on the page, so the thickest words lean towards the top; (b) labels and text start at a few shared left margins
 * and end ragged. Both are only layout habits, hence a vote, and the batch may still correct a page (finaliseFill).
 * Returns > 0 for "upright in the frame turned by the axis", < 0 for upside down in it.
 */
function voteUpright(text: IsolatedText, rows: boolean, degrees: number): number {
  const along = text.words.filter((w) => w.horizontal === rows).sort((a, b) => b.thickness - a.thickness);
  const heading = along.slice(0, Math.max(HEADING_MIN_WORDS, Math.ceil(along.length * HEADING_SHARE)));
  let headingVote = 0;
  if (heading.length > 0) {
    // where the heading sits across the lines, 0 = where the top of the page is when upright in the turned frame
    // (a clockwise quarter turn brings the left edge to the top)
    const position = heading.reduce((sum, w) => sum + (rows ? w.cy / text.mask.height : w.cx / text.mask.width), 0) / heading.length;
    headingVote = Math.max(-1, Math.min(1, (0.5 - position) * 5));
  }
  const alignment = judgeLineAlignment(rotateGrey(text.mask, rows ? 0 : 1, -degrees), 128);
  const alignmentVote = Math.max(-1, Math.min(1, Math.log(alignment) * 2));
  return headingVote + alignmentVote * 0.5;
}

/** Words along one direction must outweigh those along the other this many times to decide the axis alone. */
const WORDS_AXIS_MARGIN = 2;
/** …and be at least this many: a page with a handful of words leaves the axis to the line profiles. */
const WORDS_AXIS_MIN_WORDS = 6;

/**
 * The text-line axis from the words' own shape: a word is longer along its line than across it, so the direction
 * most word length runs in is the lines' direction. Stacked labels, columns of answer boxes or a timing track line
 * up across the lines too and can make the line profiles sharper that way; the words' shape cannot be fooled so.
 * Undefined when the words do not decide clearly (few words, or as much length both ways).
 */
function wordsAxis(text: IsolatedText): 'rows' | 'columns' | undefined {
  let rows = 0;
  let columns = 0;
  let rowWords = 0;
  let columnWords = 0;
  for (const word of text.words) {
    if (word.horizontal) {
      rows += word.length;
      rowWords++;
    } else {
      columns += word.length;
      columnWords++;
    }
  }
  if (rows >= columns * WORDS_AXIS_MARGIN && rowWords >= WORDS_AXIS_MIN_WORDS) return 'rows';
  if (columns >= rows * WORDS_AXIS_MARGIN && columnWords >= WORDS_AXIS_MIN_WORDS) return 'columns';
  return undefined;
}

/**
 * The way up the words of the page say: their lines' direction, then a vote on which end is the top. The vote is
 * taken only when `needVote` says the answer is used: a code's way up is never overruled, so on a page whose words
 * run along its code only the axis is noted.
 */
function readContent(small: GreyImage, threshold: number, needVote: (axis: 'rows' | 'columns') => boolean): { rotation: Rotation; axis: 'rows' | 'columns' } {
  const text = isolateText(small, threshold);
  const fromWords = wordsAxis(text);
  // the words' shape alone gives the axis, and estimateSkew keeps an axis it is given: when no vote is asked for,
  // the profiles would only measure an angle nobody reads
  if (fromWords !== undefined && !needVote(fromWords)) return { rotation: fromWords === 'rows' ? 0 : 90, axis: fromWords };
  const skew = estimateSkew(text.mask, 128, fromWords);
  const rows = skew.axis === 'rows';
  const base: Rotation = rows ? 0 : 90;
  if (!needVote(skew.axis)) return { rotation: base, axis: skew.axis };
  const rotation = voteUpright(text, rows, skew.degrees) >= 0 ? base : normalise(base + 180);
  return { rotation, axis: skew.axis };
}

/**
 * Decides the turn and skew. A blank-number code that was read decides the way up: zxing reports the symbol's
 * rotation, and the blank's print is laid out around its code, so nothing seen in the content overrules it (a
 * page's grids, tables and ruled areas carry line structure in every direction). The content then only measures
 * the skew along the axis the code gave, and the axis its words show is kept for a diagnostic (which end is up,
 * words tell too weakly to be worth a note).
 * Without a code, the words alone decide: word-sized ink only (isolateText), never boxes, rules or squares; the
 * batch may still correct such a page against pages of its form whose codes were read (finaliseFill).
 *
 * @param small a reduced page (any scale); `barcodeRotation` is zxing's clockwise symbol rotation, if a code was read;
 *   `page` the full page, on which the skew is measured to a tenth of a degree
 */
export function detectOrientation(small: GreyImage, threshold: number, barcodeRotation: number | null, page: GreyImage, pageThreshold: number): Orientation {
  const codeRotation = barcodeRotation === null ? null : normalise(360 - barcodeRotation);
  // with a code, the words' own way up is kept only when they run across it (a diagnostic and the batch's hint)
  const content = readContent(small, threshold, (axis) => codeRotation === null || axis !== (codeRotation % 180 === 0 ? 'rows' : 'columns'));
  // whole degrees on the reduced page, then tenths on the full one (refineSkew)
  const skewAlong = (axis: 'rows' | 'columns'): number => refineSkew(page, pageThreshold, axis, estimateSkew(small, threshold, axis, 1, false).degrees);
  if (codeRotation !== null) {
    const rotation = codeRotation;
    return { rotation, skewDegrees: skewAlong(rotation % 180 === 0 ? 'rows' : 'columns'), source: 'barcode', contentAxis: content.axis, contentRotation: content.rotation };
  }
  return { rotation: content.rotation, skewDegrees: skewAlong(content.axis), source: 'content', contentAxis: content.axis, contentRotation: content.rotation };
}
