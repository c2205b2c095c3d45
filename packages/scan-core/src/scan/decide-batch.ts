/**
 * The batch decision of a scan as a task of its own: filled / empty for every page from the whole archive, and the
 * batch turning (finaliseFill). It takes seconds on an archive of a thousand pages, so scanArchive runs it in its
 * page workers, where it does not hold up the caller's thread (the API server answers its requests meanwhile): whole
 * in one of them, or in parts shared by them (decideBatchInParts); the signatures travel packed (signature-store.ts),
 * not as 60 KB a page.
 */
import { finaliseFill, finishPlan, groupingOrder, matchLeaders, measureForms, withFills } from '../fill/finalise-fill.ts';
import type { FillPlan, FormFill, FormPlace, FormSlice, GroupingOrder, SettledPlace } from '../fill/finalise-fill.ts';
import { applyTurns, findSidewaysForms, mayTurnSidewaysForms } from '../fill/turn-batch-pages.ts';
import type { BatchTurn, SidewaysForms } from '../fill/turn-batch-pages.ts';
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
  | { part: 'plan-order'; sideways: BatchTurn[] }
  | { part: 'plan-match'; sideways: BatchTurn[]; leaders: number[]; firstForm: number; indices: number[]; eligible?: number[] }
  | { part: 'plan-finish'; sideways: BatchTurn[]; grouping: GroupingOrder; places: SettledPlace[] }
  | { part: 'measure'; sideways: BatchTurn[]; plan: FillPlan; slices: FormSlice[] };

export type BatchPartResult =
  | ({ part: 'sideways' } & SidewaysForms)
  | { part: 'plan-order'; grouping: GroupingOrder }
  | { part: 'plan-match'; places: Array<FormPlace | null> }
  | { part: 'plan-finish'; plan: FillPlan }
  | { part: 'measure'; fills: FormFill[] };

/**
 * Pages still to place, at least this many per thread, for a round of matching to be shared by the threads: a round
 * costs each thread the batch opened again and each page's signature unpacked again, so the last few forms' pages are
 * placed by the finishing part in turn.
 */
const MIN_PAGES_PER_MATCH = 64;

export function runBatchPart(input: BatchInput, part: BatchPart): BatchPartResult {
  const pages = openBatch(input);
  if (part.part === 'sideways') return { part: 'sideways', ...findSidewaysForms(pages) };
  const upright = applyTurns(pages, part.sideways);
  switch (part.part) {
    case 'plan-order':
      return { part: 'plan-order', grouping: groupingOrder(upright) };
    case 'plan-match':
      return { part: 'plan-match', places: matchLeaders(upright, part.leaders, part.firstForm, part.indices, part.eligible) };
    case 'plan-finish':
      return { part: 'plan-finish', plan: finishPlan(upright, part.grouping, part.places) };
    case 'measure':
      return { part: 'measure', fills: measureForms(applyTurns(upright, part.plan.turns), part.plan, part.slices) };
  }
}

/** Matches pages (batch indices) against leaders: a 'plan-match' part (matchLeaders), run by a free thread. */
type MatchPages = (leaders: number[], firstForm: number, indices: number[], eligible?: number[]) => Promise<Array<FormPlace | null>>;

/**
 * The pages at `positions` of the order matched in `threads` shares side by side, their places in the same order. The
 * shares take every `threads`-th page: later pages are compared with more forms, and a share of the last pages alone
 * would keep the other threads waiting.
 */
async function matchInShares(order: readonly number[], positions: readonly number[], threads: number, leaders: number[], firstForm: number, match: MatchPages, eligible?: readonly number[]): Promise<Array<FormPlace | null>> {
  const shares = Array.from({ length: Math.min(threads, positions.length) }, (_, share) => positions.map((_, at) => at).filter((at) => at % threads === share));
  const results = await Promise.all(
    shares.map((ats) =>
      match(
        leaders,
        firstForm,
        ats.map((at) => order[positions[at] as number] as number),
        eligible === undefined ? undefined : ats.map((at) => eligible[at] as number),
      ),
    ),
  );
  const found: Array<FormPlace | null> = new Array<FormPlace | null>(positions.length);
  shares.forEach((ats, share) => {
    const places = results[share] ?? [];
    if (places.length !== ats.length) throw new Error('a grouping part answered for fewer pages than it was given');
    ats.forEach((at, offset) => (found[at] = places[offset] ?? null));
  });
  return found;
}

/**
 * Where the forms of a guess (pages grouped by print, by batch index) would begin in the grouping order: the order
 * position of each form's first settled page, ascending; null when the guess cannot be right (the first settled page,
 * which always leads, leads none of its forms).
 */
function guessLeaderPositions(grouping: GroupingOrder, guess: readonly number[][]): number[] | null {
  const positionOf = new Map<number, number>();
  for (let position = 0; position < grouping.settled; position++) positionOf.set(grouping.order[position] as number, position);
  const firsts: number[] = [];
  for (const members of guess) {
    let first = Number.POSITIVE_INFINITY;
    for (const index of members) first = Math.min(first, positionOf.get(index) ?? Number.POSITIVE_INFINITY);
    if (Number.isFinite(first)) firsts.push(first);
  }
  firsts.sort((first, second) => first - second);
  return firsts[0] === 0 ? firsts : null;
}

/**
 * The settled pages' places, found by threads side by side, as planFill finds them in turn. The first settled page
 * leads a form; every other page is matched, in parallel, against the forms known; the first page no form took leads
 * the next form (no form made before it took it, and none made after it can come first), and only the pages after it
 * that no form took are matched again, against that form alone. Each page is so compared with the forms made before
 * it, in the order they were made, until one takes it: exactly planFill's comparisons, shared out in rounds, one per
 * form, while enough pages are left to share; the rest are left to the finishing part with the forms they were tried on.
 *
 * With a guess at the forms (the sideways step's grouping of the pages whose code oriented them), one round matches every page
 * against the leaders the guess gives, each page only against those before it in the order. The guess holds for
 * every page up to the first one it is wrong about (a guessed leader that an earlier one takes, or a page none
 * takes): those pages are placed exactly as in turn; after it, a page a confirmed form took is placed too, and the
 * rest go on in rounds, as above, having been compared with the confirmed forms.
 */
async function placeSettledPages(grouping: GroupingOrder, threads: number, match: MatchPages, guess?: readonly number[][]): Promise<SettledPlace[]> {
  const { order, settled } = grouping;
  const shares = Math.max(1, threads);
  const places: SettledPlace[] = [];
  if (settled === 0) return places;
  places[0] = 'leads';
  const leaders = [order[0] as number];
  let firstForm = 0;
  let pending = Array.from({ length: settled - 1 }, (_, offset) => offset + 1);
  /** The first page no form took leads the next form; the others wait for it. False when every page was placed. */
  const nextForm = (untaken: readonly number[]): boolean => {
    const next = untaken[0];
    if (next === undefined) return false;
    places[next] = 'leads';
    firstForm = leaders.length;
    leaders.push(order[next] as number);
    pending = untaken.slice(1);
    return true;
  };
  const guessed = guess === undefined ? null : guessLeaderPositions(grouping, guess);
  if (guessed !== null && guessed.length > 1 && pending.length >= MIN_PAGES_PER_MATCH * shares) {
    const guessedLeaders = guessed.map((position) => order[position] as number);
    // a page may join the forms whose leaders come before it
    let before = 0;
    const eligible = pending.map((position) => {
      while (before < guessed.length && (guessed[before] as number) < position) before++;
      return before;
    });
    const found = await matchInShares(order, pending, shares, guessedLeaders, 0, match, eligible);
    const untaken: number[] = [];
    let confirmed = 1;
    let holds = true;
    for (const [at, position] of pending.entries()) {
      const place = found[at] ?? null;
      if (holds) {
        const leads = guessed[confirmed] === position;
        holds = leads ? place === null : place !== null;
        if (holds) {
          if (leads) {
            places[position] = 'leads';
            leaders.push(order[position] as number);
            confirmed++;
          } else if (place !== null) {
            places[position] = place;
          }
          continue;
        }
      }
      // after the guess failed: a page a confirmed form took is placed, the rest compared with those forms only
      if (place !== null && place.form < confirmed) places[position] = place;
      else untaken.push(position);
    }
    if (!nextForm(untaken)) return places;
  }
  while (pending.length > 0) {
    if (pending.length < MIN_PAGES_PER_MATCH * shares) {
      // too few to share: the finishing part places them, trying only the forms made after these
      for (const position of pending) places[position] = { tried: firstForm };
      break;
    }
    const found = await matchInShares(order, pending, shares, leaders.slice(firstForm), firstForm, match);
    const untaken: number[] = [];
    for (const [at, position] of pending.entries()) {
      const place = found[at] ?? null;
      if (place === null) untaken.push(position);
      else places[position] = place;
    }
    if (!nextForm(untaken)) break;
  }
  return places;
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
  const step = mayTurnSidewaysForms(input.pages.map((page) => page.summary)) ? await expect({ part: 'sideways' }) : null;
  const sideways = step?.turns ?? [];
  // the grouping: its order, the settled pages placed by the threads side by side, then the doubtful ones in turn
  const { grouping } = await expect({ part: 'plan-order', sideways });
  const places = await placeSettledPages(
    grouping,
    threads,
    async (leaders, firstForm, indices, eligible) => (await expect({ part: 'plan-match', sideways, leaders, firstForm, indices, ...(eligible ? { eligible } : {}) })).places,
    step?.forms,
  );
  const { plan } = await expect({ part: 'plan-finish', sideways, grouping, places });
  const measured = await Promise.all(shareForms(plan, threads).map((slices) => expect({ part: 'measure', sideways, plan, slices })));
  // the pages as finaliseFill leaves them: turned as decided, with the forms' fills; their signatures are not read
  // here unless a page without turns of its own was turned by half a turn (applyTurns makes that turn)
  return withFills(applyTurns(applyTurns(openBatch(input), sideways), plan.turns), measured.flatMap((result) => result.fills)).map(toPageSummary);
}
