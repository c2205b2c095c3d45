/**
 * The contract between the archive side (archive/, pool/, cli/, scan-archive.ts) and the
 * page side (image/, barcode/, orientation/, fill/, page/). Change it only in agreement. It lives apart from both
 * sides so that page/ (which runs the fill measures) and fill/ (which judges page analyses) never import each other.
 */
export type Rotation = 0 | 90 | 180 | 270;
export type Symbology = 'code128' | 'qrcode' | 'datamatrix' | 'pdf417' | 'aztec' | 'itf';
export type FillState = 'filled' | 'empty';
export type UnreadReason = 'no_barcode' | 'ambiguous';
/** What renderUprightPage makes: the full upright page, or its thumbnail. */
export type RenditionSize = 'full' | 'thumbnail';

export interface AnalyseOptions {
  /** blank-number pattern; default DEFAULT_BLANK_PATTERN */
  pattern?: RegExp;
  /**
   * produce the upright, deskewed page as JPEG bytes, and its thumbnail (turning a page again asks for them); 'unread'
   * only for pages whose code was not read (the ones people open to correct), the others get the thumbnail alone
   */
  wantUpright?: boolean | 'unread';
  /**
   * produce only the upright thumbnail, from the reduced page (a tenth of the full rendition's cost): the API stores
   * it while an upload is processed and makes the full rendition when the page is first viewed (renderUprightPage)
   */
  wantThumbnail?: boolean;
  /** per-page time budget for the barcode ladder, ms */
  budgetMs?: number;
  /** a registered template of the printed form, if the caller has one */
  template?: FillTemplate;
  /** measure the time of each stage (PageAnalysis.stageMs), for the benchmark */
  profile?: boolean;
}

/** The stages of one page's analysis, as profiled. */
export type AnalysisStage = 'decode' | 'locate' | 'zxing' | 'reduce' | 'orientation' | 'inkSignature' | 'hash' | 'upright';

/** A compact, upright, fixed-size description of where the ink is, used to learn the printed form of a batch. */
export interface InkSignature {
  width: number;
  height: number;
  /** 0..255 darkness per cell, row-major, length width*height */
  cells: Uint8Array;
}

export interface FillTemplate {
  signature: InkSignature;
  /**
   * The quarter turn the batch gave every page of the form whose words ran across its code (a form that prints its
   * code sideways): the print is kept as the pages were analysed alone, and a rescan alone is turned by this.
   */
  turn?: Rotation;
}

/**
 * The page as it would be stored under another turn. Kept only for pages whose way up came from their content, so
 * the batch can set them upright by matching pages of their form whose codes were read (finaliseFill).
 */
export interface TurnAlternative {
  rotation: Rotation;
  inkSignature: InkSignature;
  imageHash: string;
}

export interface PageAnalysis {
  /** 1-based page index within a multi-page TIFF; 1 for a JPEG */
  page: number;
  blankNumber: string | null;
  symbology: Symbology | null;
  /** set when blankNumber is null */
  reason: UnreadReason | null;
  /** name of the ladder step that found the number, e.g. 'fast-region', 'full-rotated' */
  readStep: string | null;
  /** clockwise turn that was applied to the scan to make it upright */
  rotation: Rotation;
  skewDegrees: number;
  fill: FillState;
  inkScore: number;
  dpi: number | null;
  width: number;
  height: number;
  /** human-readable notes: 'dpi_far_from_200', 'not_a4_shape', … (diagnostics, not rejections) */
  diagnostics: string[];
  inkSignature: InkSignature;
  /** perceptual hash of the upright page, hex */
  imageHash: string;
  /** the upright page as a greyscale JPEG, and its thumbnail, when asked for (AnalyseOptions.wantUpright, wantThumbnail) */
  uprightJpeg?: Uint8Array;
  uprightThumbnail?: Uint8Array;
  /** the other three turns, only when no code said which way is up or the page's words run across its code */
  alternatives?: TurnAlternative[];
  /** the way up the page's words say, only when they run across the code (diagnostic orientation_content_disagrees) */
  contentRotation?: Rotation;
  /** milliseconds per stage, only when profiled (AnalyseOptions.profile) */
  stageMs?: Partial<Record<AnalysisStage, number>>;
}
