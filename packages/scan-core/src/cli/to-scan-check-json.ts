import type { ScanResult } from '../scan-archive.ts';

/** The `--json` document: exactly the keys of the DESIGN.md contract, nothing the library adds for itself. */
export function toScanCheckJson(result: ScanResult): unknown {
  return {
    archive: result.archive,
    verdict: result.verdict,
    code: result.code,
    entries: result.entries.map((entry) => ({
      path: entry.path,
      kind: entry.kind,
      problem: entry.problem,
      page: entry.page,
      blankNumber: entry.blankNumber,
      symbology: entry.symbology,
      rotation: entry.rotation,
      fill: entry.fill,
      inkScore: entry.inkScore,
      sha256: entry.sha256,
      duplicateOf: entry.duplicateOf,
    })),
    counts: result.counts,
    seconds: result.seconds,
  };
}
