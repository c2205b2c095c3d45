/** What a whole-archive scan answers (scanArchive): one row per entry (a page per page of a multi-page TIFF). */
import type { ArchiveCode, EntryCode } from '../errors.ts';
import type { FillState, PageAnalysis, Rotation, Symbology } from '../shared/types.ts';

export type Verdict = 'accepted' | 'accepted_with_problems' | 'rejected';

/** A page's analysis as the result keeps it: an archive of thousands of pages must not hold 60 KB a page. */
export type PageSummary = Omit<PageAnalysis, 'inkSignature' | 'uprightJpeg' | 'uprightThumbnail' | 'alternatives'>;

/** The page's analysis without its signatures, upright JPEG and thumbnail, as the result keeps it. */
export function toPageSummary(analysis: PageAnalysis): PageSummary {
  const { inkSignature: _signature, uprightJpeg: _upright, uprightThumbnail: _thumbnail, alternatives: _alternatives, ...summary } = analysis;
  return summary;
}

/** One row of the result: a page of a scan file, an ignored system file, or an entry with a problem. */
export interface ScanEntry {
  /** the entry name as the person wrote it */
  path: string;
  kind: 'page' | 'ignored' | 'problem';
  problem: EntryCode | null;
  /** why it is ignored or what is wrong, in words (not part of the stable contract) */
  detail: string | null;
  /** 1-based page within a multi-page TIFF */
  page: number | null;
  blankNumber: string | null;
  symbology: Symbology | null;
  rotation: Rotation | null;
  fill: FillState | null;
  inkScore: number | null;
  /** of the entry's bytes */
  sha256: string | null;
  /** the earlier page with the same blank number, or with identical bytes when it has no number */
  duplicateOf: string | null;
  /** the earlier entry with byte-identical content (a re-sent file), whatever its number */
  sameBytesAs: string | null;
  /** the page analysis, without the upright image and the ink signature (kept packed while the scan runs) */
  analysis: PageSummary | null;
}

export interface ScanCounts {
  pages: number;
  recognized: number;
  unrecognized: number;
  empty: number;
  duplicates: number;
  ignored: number;
  problems: number;
}

/** Where the time went, when asked for (ScanArchiveOptions.profile): summed over all pages, milliseconds. */
export interface ScanProfile {
  pages: number;
  /** 'read' (archive reading, inflating, hashing the bytes; main thread), the page stages (worker threads), 'batch' */
  stageMs: Record<string, number>;
}

export interface ScanResult {
  archive: string;
  verdict: Verdict;
  /** the archive-level rejection, or for an archive without pages the most specific entry problem */
  code: ArchiveCode | EntryCode | null;
  detail: string | null;
  entries: ScanEntry[];
  counts: ScanCounts;
  seconds: number;
  /** only when ScanArchiveOptions.profile */
  profile?: ScanProfile;
}

/** A page as soon as it is analysed, for a caller that stores pages while the scan goes on. */
export interface ScannedPage {
  path: string;
  /** position of the entry in the archive */
  entryIndex: number;
  page: number;
  /** the entry's original bytes (shared by the pages of one multi-page TIFF) */
  bytes: Uint8Array;
  sha256: string;
  /**
   * The page's analysis. Its fill is provisional: the batch-level decision (learning the printed form from the
   * other pages) is only in the final ScanResult.
   */
  analysis: PageAnalysis;
}
