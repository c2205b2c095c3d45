/**
 * The batch decision of a scan as a task of its own: filled / empty for every page from the whole archive, and the
 * batch turning (finaliseFill). It takes seconds on an archive of a thousand pages, so scanArchive runs it in its
 * page workers, where it does not hold up the caller's thread (the API server answers its requests meanwhile): whole
 * in one of them, or in parts shared by them (decideBatchInParts); the signatures travel packed (signature-store.ts),
 * not as 60 KB a page.
 */
import { finaliseFill, measureForms, planFill, withFills } from '../fill/finalise-fill.ts';
import type { FillPlan, FormFill, FormSlice } from '../fill/finalise-fill.ts';
import { applyTurns, mayTurnSidewaysForms, turnSidewaysForms } from '../fill/turn-batch-pages.ts';
import type { BatchTurn } from '../fill/turn-batch-pages.ts';
import { openPackedSignatures } from '../fill/signature-store.ts';
import type { PackedSignatures } from '../fill/signature-store.ts';
import type { FillTemplate, PageAnalysis, Rotation } from '../shared/types.ts';
import { toPageSummary } from './scan-result.ts';
import type { PageSummary } from './scan-result.ts';

/** A form is cut into slices of at least this many pages: fewer would not repay learning its print again. */
const MIN_PAGES_PER_SLICE = 48;

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

/** The batch's pages with their signatures, unpacked on each read (openPackedSignatures). */
function openBatch(input: BatchInput): PageAnalysis[] {
  const signatureAt = openPackedSignatures(input.signatures);
  return input.pages.map((page) => {
    const turns = page.alternatives.map((turn) => ({ rotation: turn.rotation, imageHash: turn.imageHash, inkSignature: signatureAt(turn.signature) }));
    return { ...page.summary, inkSignature: signatureAt(page.signature), ...(turns.length > 0 ? { alternatives: turns } : {}) };
  });
}

/** Each page as the batch decides it, in the order given: fill, ink score, and a rotation the batch corrected. */
export function decideBatch(input: BatchInput): PageSummary[] {
  return finaliseFill(openBatch(input), input.template ? { template: input.template } : {}).map(toPageSummary);
}

/**
 * The parts of a batch decision without a template (finaliseFill's steps), for threads to share: the forms that
 * print their code sideways (turnSidewaysForms), the grouping by print (planFill), and filled / empty for some of the
 * forms (measureForms). Each part gets the whole batch and what the parts before it decided.
 */
export type BatchPart =
  | { part: 'sideways' }
  | { part: 'plan'; sideways: BatchTurn[] }
  | { part: 'measure'; sideways: BatchTurn[]; plan: FillPlan; slices: FormSlice[] };

export type BatchPartResult =
  | { part: 'sideways'; turns: BatchTurn[] }
  | { part: 'plan'; plan: FillPlan }
  | { part: 'measure'; fills: FormFill[] };

export function runBatchPart(input: BatchInput, part: BatchPart): BatchPartResult {
  const pages = openBatch(input);
  if (part.part === 'sideways') {
    const turned = turnSidewaysForms(pages);
    const turns = turned.flatMap((page, index) => (page === pages[index] ? [] : [{ index, rotation: page.rotation }]));
    return { part: 'sideways', turns };
  }
  const upright = applyTurns(pages, part.sideways);
  if (part.part === 'plan') return { part: 'plan', plan: planFill(upright) };
  return { part: 'measure', fills: measureForms(applyTurns(upright, part.plan.turns), part.plan, part.slices) };
}

/**
 * The forms to measure, in `threads` shares of about as many pages each (the largest forms placed first). A form
 * larger than a share is cut into slices across the shares: an upload is often one blank type, and one thread
 * measuring a thousand pages would leave the others idle. Each slice lays every page of its form on the leader and
 * learns the form's print again (a few hundred milliseconds for a thousand pages), which the threads side by side
 * more than repay.
 */
export function shareForms(plan: FillPlan, threads: number): FormSlice[][] {
  const order = plan.forms.map((form, index) => ({ index, size: form.length })).filter(({ size }) => size >= 2);
  const total = order.reduce((sum, { size }) => sum + size, 0);
  const shareSize = Math.ceil(total / Math.max(1, threads));
  const shares = Array.from({ length: threads }, () => ({ slices: [] as FormSlice[], pages: 0 }));
  order.sort((first, second) => second.size - first.size);
  const lightest = () => shares.reduce((best, share) => (share.pages < best.pages ? share : best));
  for (const { index, size } of order) {
    if (size <= shareSize || size < MIN_PAGES_PER_SLICE * 2) {
      const share = lightest();
      share.slices.push({ form: index });
      share.pages += size;
      continue;
    }
    for (let from = 0; from < size; ) {
      const share = lightest();
      let to = Math.min(size, from + Math.max(MIN_PAGES_PER_SLICE, shareSize - share.pages));
      // no slice smaller than the least worth cutting: a short rest joins the slice before it
      if (size - to < MIN_PAGES_PER_SLICE) to = size;
      share.slices.push({ form: index, from, to });
      share.pages += to - from;
      from = to;
    }
  }
  return shares.map((share) => share.slices.sort((first, second) => first.form - second.form || (first.from ?? 0) - (second.from ?? 0))).filter((slices) => slices.length > 0);
}

/**
 * decideBatch spread over threads (`run` hands a part to a free one), with the same result: the sideways turning
 * (when some page's words run across its code) and the grouping run in turn, each needing the one before, then the
 * forms are measured in shares side by side, about a third of the work. With a template, decideBatch does it whole.
 * (Grouping while the sideways turning runs, on the guess that it turns nothing, lost: archives with such forms are
 * common, and the grouping had to be made again.)
 */
export async function decideBatchInParts(input: BatchInput, threads: number, run: (part: BatchPart) => Promise<BatchPartResult>): Promise<PageSummary[]> {
  const expect = async <K extends BatchPartResult['part']>(part: BatchPart & { part: K }): Promise<BatchPartResult & { part: K }> => {
    const result = await run(part);
    if (result.part !== part.part) throw new Error(`a batch part '${part.part}' was answered as '${result.part}'`);
    return result as BatchPartResult & { part: K };
  };
  const sideways = mayTurnSidewaysForms(input.pages.map((page) => page.summary)) ? (await expect({ part: 'sideways' })).turns : [];
  const { plan } = await expect({ part: 'plan', sideways });
  const measured = await Promise.all(shareForms(plan, threads).map((slices) => expect({ part: 'measure', sideways, plan, slices })));
  // the pages as finaliseFill leaves them: turned as decided, with the forms' fills; their signatures are not read
  // here unless a page without turns of its own was turned by half a turn (applyTurns makes that turn)
  return withFills(applyTurns(applyTurns(openBatch(input), sideways), plan.turns), measured.flatMap((result) => result.fills)).map(toPageSummary);
}
