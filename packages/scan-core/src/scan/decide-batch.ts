/**
 * The batch decision of a scan as a task of its own: filled / empty for every page from the whole archive, and the
 * batch turning (finaliseFill). It takes seconds on an archive of a thousand pages, so scanArchive runs it in one of
 * its page workers, where it does not hold up the caller's thread (the API server answers its requests meanwhile);
 * the signatures travel packed (signature-store.ts), not as 60 KB a page.
 */
import { finaliseFill } from '../fill/finalise-fill.ts';
import { openPackedSignatures } from '../fill/signature-store.ts';
import type { PackedSignatures } from '../fill/signature-store.ts';
import type { FillTemplate, PageAnalysis, Rotation } from '../shared/types.ts';
import { toPageSummary } from './scan-result.ts';
import type { PageSummary } from './scan-result.ts';

export interface BatchPage {
  summary: PageSummary;
  /** place of the page's signature in the pack */
  signature: number;
  /** the page under other turns, for pages whose way up the batch may still correct */
  alternatives: Array<{ rotation: Rotation; imageHash: string; signature: number }>;
}

export interface BatchInput {
  pages: BatchPage[];
  signatures: PackedSignatures;
  template?: FillTemplate;
}

/** Each page as the batch decides it, in the order given: fill, ink score, and a rotation the batch corrected. */
export function decideBatch(input: BatchInput): PageSummary[] {
  const signatureAt = openPackedSignatures(input.signatures);
  const analyses: PageAnalysis[] = input.pages.map((page) => {
    const turns = page.alternatives.map((turn) => ({ rotation: turn.rotation, imageHash: turn.imageHash, inkSignature: signatureAt(turn.signature) }));
    return { ...page.summary, inkSignature: signatureAt(page.signature), ...(turns.length > 0 ? { alternatives: turns } : {}) };
  });
  return finaliseFill(analyses, input.template ? { template: input.template } : {}).map(toPageSummary);
}
