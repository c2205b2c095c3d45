import { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from '../shared/diagnostics.ts';
import type { FillState, FillTemplate, InkSignature, PageAnalysis, Rotation } from '../shared/types.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { formCoverage, inkOf, matchForm, prepareSignature, widenByOneCell } from './match-form.ts';
import type { PreparedSignature } from './match-form.ts';
import { alignSignature, measureHandwriting, shiftSignature } from './measure-handwriting.ts';
import type { HandwritingMeasure } from './measure-handwriting.ts';
import { applyTurns, findBetterTurn, turnPage, turnSidewaysForms, wordsAcrossCode } from './turn-batch-pages.ts';
import type { BatchTurn } from './turn-batch-pages.ts';

export interface FinaliseFillOptions {
  /** a registered template of the printed form: when given, every page is judged against it */
  template?: FillTemplate;
  /** called per judged page with what was compared, for inspection tools */
  inspect?: (index: number, aligned: InkSignature, print: InkSignature, residual: Uint8Array) => void;
}

/**
 * The print estimate is this quantile of a cell over the least-inked half of a form's pages: print is on all of
 * them, handwriting on few of them; the median keeps print that some scans render faintly (light rules).
 */
const PRINT_QUANTILE = 0.5;
const PRINT_QUANTILE_MANY = 0.25;
const MANY_REFERENCE_PAGES = 12;
/** The print is learnt from this share of a form's pages, the least inked… */
const LEAST_INKED_SHARE = 0.5;
/** …and from at least this many of them when the form has that many. */
const MIN_REFERENCE_PAGES = 3;
/** Enough pages to learn a form from; more only cost time. */
const MAX_REFERENCE_PAGES = 48;
/** A cell of an aligned page this dark or darker counts as code there (MASKED_CELL is the darkest value). */
const CODE_CELL_DARKNESS = 200;
/** A cell masked (a code) on this share of a form's pages is not evidence on any of them… */
const SHARED_MASK_SHARE = 0.08;
/** …nor one masked on at least this many pages. */
const MIN_PAGES_SHARING_MASK = 2;
/**
 * A registered template's pages are all blanks of its type: a code read on any one of them (a masked cell, never
 * merely a dark one: a blot or dense writing on one page must not blind the template) marks where the type prints
 * its codes, whose pattern differs on every blank, and where a damaged code, not read and so not masked, still prints.
 */
const TEMPLATE_PAGES_SHARING_CODE = 1;
/** Cells either way a page may be shifted onto a registered template (a template is not re-registered per batch). */
const TEMPLATE_ALIGN_REACH = 6;
/** The print estimates here are already widened by a cell (an envelope), so handwriting is measured against them as they are. */
const ENVELOPE_TOLERANCE = 0;
/** A form with fewer pages keeps each page's provisional call: there is nothing to learn its print from. */
const MIN_PAGES_TO_LEARN_FORM = 2;

interface Member {
  index: number;
  /** ink of the aligned signature outside code areas: orders the members when the print is learnt */
  ink: number;
  /**
   * The page's signature shifted onto the cluster leader, made when needed: holding it for every page of a large
   * archive would cost 60 KB a page.
   */
  aligned: () => InkSignature;
}

function member(index: number, signature: InkSignature, dx: number, dy: number): Member {
  const aligned = (): InkSignature => shiftSignature(signature, dx, dy);
  return { index, ink: alignedInk(aligned()), aligned };
}

function alignedInk(signature: InkSignature): number {
  let ink = 0;
  for (const value of signature.cells) if (value !== MASKED_CELL) ink += value;
  return ink;
}

/** The print of one form: a low quantile per cell over aligned pages, and cells that are not evidence on any page. */
function learnForm(members: Member[], pagesSharingCode = Number.POSITIVE_INFINITY): { print: InkSignature; ignore: Uint8Array } {
  if (members.length === 0) throw new Error('empty cluster');
  // the print is learnt from the least-inked pages: where most participants write in the same boxes, the emptier
  // pages still show those boxes blank
  const sorted = [...members].sort((first, second) => first.ink - second.ink);
  const pool = sorted.slice(0, Math.max(Math.min(sorted.length, MIN_REFERENCE_PAGES), Math.ceil(sorted.length * LEAST_INKED_SHARE)));
  const step = Math.max(1, Math.ceil(pool.length / MAX_REFERENCE_PAGES));
  const reference = pool.filter((_, poolIndex) => poolIndex % step === 0).map((chosen) => chosen.aligned());
  const first = reference[0];
  if (first === undefined) throw new Error('empty cluster');
  const { width, height } = first;
  const referenceCount = reference.length;
  // with few pages the median; with many a lower quantile, still stable, that keeps handwriting out of the print
  const quantile = referenceCount >= MANY_REFERENCE_PAGES ? PRINT_QUANTILE_MANY : PRINT_QUANTILE;
  const quantileRank = Math.floor((referenceCount - 1) * quantile);
  const print = new Uint8Array(width * height);
  const ignore = new Uint8Array(width * height);
  const values = new Uint8Array(referenceCount);
  // each page's print is widened by a cell before taking the quantile: print lands on the cell grid at a different
  // sub-cell phase on every scan, and the envelope covers all phases
  const envelopes = reference.map((aligned) => widenByOneCell(aligned));
  for (let cellIndex = 0; cellIndex < width * height; cellIndex++) {
    let masked = 0;
    let codes = 0;
    for (let pageIndex = 0; pageIndex < referenceCount; pageIndex++) {
      const value = reference[pageIndex]?.cells[cellIndex] ?? 0;
      if (value >= CODE_CELL_DARKNESS) masked++;
      if (value === MASKED_CELL) codes++;
      values[pageIndex] = envelopes[pageIndex]?.[cellIndex] ?? 0;
    }
    values.sort();
    print[cellIndex] = values[quantileRank] ?? 0;
    if (masked >= Math.max(MIN_PAGES_SHARING_MASK, referenceCount * SHARED_MASK_SHARE) || codes >= pagesSharingCode) ignore[cellIndex] = 1;
  }
  // codes vary in size from blank to blank: widen the shared code area (twice) so a longer code is covered too
  const once = widenByOneCell({ width, height, cells: ignore });
  const widenedIgnore = widenByOneCell({ width, height, cells: once });
  return { print: { width, height, cells: print }, ignore: widenedIgnore };
}

/**
 * A judge for pages against a registered template: its signature is a print estimate as learnFillTemplate makes it
 * (already widened by a cell); its code areas (MASKED_CELL) are not evidence.
 */
export function judgeAgainstTemplate(template: InkSignature): (page: InkSignature) => HandwritingMeasure | null {
  const print = { ...template, cells: template.cells.map((value) => (value === MASKED_CELL ? 0 : value)) };
  const ignore = widenByOneCell({ ...template, cells: template.cells.map((value) => (value === MASKED_CELL ? 1 : 0)) });
  return (page) => {
    if (page.width !== template.width || page.height !== template.height) return null;
    // `cells` read once: a stored signature unpacks on every read, and the alignment reads cells in a loop
    const own = { width: page.width, height: page.height, cells: page.cells };
    const [dx, dy] = alignSignature(own, print, TEMPLATE_ALIGN_REACH);
    return measureHandwriting(shiftSignature(own, dx, dy), print, ignore, ENVELOPE_TOLERANCE);
  };
}

/**
 * A judge of pages against a registered template of their blank type (learnFillTemplate, from pages as analysed
 * alone): filled / empty against its print, and, for a form that prints its code sideways (the template's `turn`), a
 * page whose words run across its code turned as the batch turned every page of its form. So a rescan of one or two
 * pages of such a form comes out upright, like the pages of a whole archive. Null when the page does not have the
 * template's shape: the template judges nothing then.
 */
export function fitToTemplate(template: FillTemplate): (page: PageAnalysis) => PageAnalysis | null {
  const judge = judgeAgainstTemplate(template.signature);
  const turn = template.turn ?? 0;
  return (page) => {
    const measure = judge(page.inkSignature);
    if (measure === null) return null;
    const sideways = turn !== 0 && wordsAcrossCode(page) && !page.diagnostics.includes(ROTATION_CORRECTED_BY_BATCH);
    const to = sideways ? page.alternatives?.find((alternative) => alternative.rotation === (page.rotation + turn) % 360) : undefined;
    return { ...(to === undefined ? page : turnPage(page, to)), fill: measure.fill, inkScore: measure.inkScore };
  };
}

/** Share of a form's pages the batch must have turned the same way for a template to carry that turn. */
const FORM_TURN_SHARE = 0.75;

/**
 * The quarter turn a batch gave a form's pages (each page's way up as analysed alone, and as the batch decided it),
 * when it gave most of them (FORM_TURN_SHARE) the same one: a form that prints its code sideways (fitToTemplate);
 * else 0.
 */
export function formTurn(rotations: ReadonlyArray<{ alone: Rotation; decided: Rotation }>): Rotation {
  const counts = new Map<number, number>();
  for (const { alone, decided } of rotations) {
    const turn = (decided - alone + 360) % 360;
    counts.set(turn, (counts.get(turn) ?? 0) + 1);
  }
  for (const [turn, count] of counts) if (count >= rotations.length * FORM_TURN_SHARE) return turn as Rotation;
  return 0;
}

/**
 * Learns a template of one blank type from a few scans of it (ideally empty ones): the pages are registered on the
 * least-inked one and the print is estimated as in a batch. Register the result to judge later pages against it.
 */
export function learnFillTemplate(pages: readonly PageAnalysis[]): FillTemplate | null {
  const prepared = pages.map((page) => prepareSignature(page.inkSignature));
  const order = pages.map((_, index) => index).sort((first, second) => (prepared[first]?.ink ?? 0) - (prepared[second]?.ink ?? 0));
  const leaderIndex = order[0];
  const leader = leaderIndex === undefined ? undefined : prepared[leaderIndex];
  if (leaderIndex === undefined || leader === undefined) return null;
  const members: Member[] = [];
  for (const index of order) {
    const page = pages[index];
    const mine = prepared[index];
    if (page === undefined || mine === undefined) continue;
    const shift = index === leaderIndex ? [0, 0] : matchForm(mine, leader);
    if (shift !== null) members.push(member(index, page.inkSignature, shift[0] ?? 0, shift[1] ?? 0));
  }
  const form = learnForm(members, TEMPLATE_PAGES_SHARING_CODE);
  const cells = form.print.cells.map((value, cellIndex) => ((form.ignore[cellIndex] ?? 0) === 1 ? MASKED_CELL : Math.min(value, MASKED_CELL - 1)));
  return { signature: { ...form.print, cells } };
}

/** One page of a form: its index in the batch and its shift onto the form's leader. */
export interface FormMember {
  index: number;
  dx: number;
  dy: number;
}

/**
 * How the batch groups its pages by their print (blank types): the pages of each form with their shifts onto its
 * leader, and the doubtful pages the batch turned because they match their form clearly better another way. Small
 * (no signatures), so the forms can be measured by several threads (measureForms).
 */
export interface FillPlan {
  turns: BatchTurn[];
  forms: FormMember[][];
}

/** The order pages are grouped in (planFill): pages whose way up is settled first, the doubtful ones after them. */
export interface GroupingOrder {
  /** page indices */
  order: number[];
  /** the first this many of `order` are settled */
  settled: number;
}

/**
 * A page may lie another way when its content alone set it, or when its words run across the code that set it and
 * the batch did not turn its form as a whole (turnSidewaysForms): such pages come after the rest, so the forms are
 * learnt first, and are turned when they match their form clearly better under another turn.
 */
function isDoubtful(page: PageAnalysis | undefined): boolean {
  const diagnostics = page?.diagnostics ?? [];
  return diagnostics.includes(ORIENTATION_FROM_CONTENT) || (diagnostics.includes(ORIENTATION_CONTENT_DISAGREES) && !diagnostics.includes(ROTATION_CORRECTED_BY_BATCH));
}

/** Settled pages first and, among each kind, the cleanest first: an empty blank is pure print, the best leader a form can have. */
export function groupingOrder(pages: readonly PageAnalysis[]): GroupingOrder {
  const inks = pages.map((page) => inkOf(page.inkSignature));
  const byInk = (first: number, second: number): number => (inks[first] ?? 0) - (inks[second] ?? 0);
  const indices = pages.map((_, index) => index);
  const settled = indices.filter((index) => !isDoubtful(pages[index])).sort(byInk);
  return { order: [...settled, ...indices.filter((index) => isDoubtful(pages[index])).sort(byInk)], settled: settled.length };
}

/** Forms as they are being grouped: each led by its first page, whose prepared views are kept. */
interface Grouping {
  forms: Array<{ leader: PreparedSignature; members: FormMember[] }>;
  turns: BatchTurn[];
}

/**
 * Places the pages at order positions [from, to) one after another: each joins the first form (in the order the
 * forms were made) it matches, or leads a new one. Only form leaders keep their prepared views: every other page's
 * are made, used and dropped in turn, and a member keeps only its shift, so memory does not grow by the views of
 * every page of a large archive.
 */
function placePages(pages: readonly PageAnalysis[], grouping: Grouping, order: readonly number[], from: number, to: number): void {
  const { forms, turns } = grouping;
  const join = (index: number, mine: PreparedSignature): boolean => {
    for (const form of forms) {
      const shift = matchForm(mine, form.leader);
      if (shift === null) continue;
      form.members.push({ index, dx: shift[0], dy: shift[1] });
      return true;
    }
    return false;
  };
  /** The best fine coverage of any leader's print by this page. */
  const bestCoverage = (mine: PreparedSignature): number => {
    let best = 0;
    for (const { leader } of forms) best = Math.max(best, formCoverage(mine, leader));
    return best;
  };
  for (let position = from; position < to; position++) {
    const index = order[position];
    const page = index === undefined ? undefined : pages[index];
    if (index === undefined || page === undefined) continue;
    const mine = prepareSignature(page.inkSignature);
    // a doubtful page may lie another way: turn it when it matches its blank type clearly better under another turn
    // than as it is (pages whose way up is settled lead the forms)
    if (isDoubtful(page)) {
      const better = findBetterTurn(page, mine, bestCoverage);
      if (better !== null && join(index, better.prepared)) {
        turns.push({ index, rotation: better.to.rotation });
        continue;
      }
    }
    if (join(index, mine)) continue;
    forms.push({ leader: mine, members: [{ index, dx: 0, dy: 0 }] });
  }
}

/** Groups a batch's pages by their print (pages set upright by turnSidewaysForms already), in one thread. */
export function planFill(pages: readonly PageAnalysis[]): FillPlan {
  const { order } = groupingOrder(pages);
  const grouping: Grouping = { forms: [], turns: [] };
  placePages(pages, grouping, order, 0, order.length);
  return { turns: grouping.turns, forms: grouping.forms.map((form) => form.members) };
}

/**
 * A settled page's form when the grouping is shared by threads: the form it joins (numbered as made) and its shift,
 * 'leads' a form of its own, or none of the first `tried` forms takes it (finishPlan places it as planFill would,
 * trying only the forms made after those).
 */
export type SettledPlace = FormPlace | 'leads' | { tried: number };

/** The form a page joins (numbered as the forms were made) and the shift that lays it on the form's leader. */
export interface FormPlace {
  form: number;
  dx: number;
  dy: number;
}

/**
 * For each of the pages `indices`: the first of the forms led by `leaders` (page indices, in the order the forms were
 * made, the first being form `firstForm`) it matches, with its shift, or null. Threads share the settled pages this
 * way (decideBatchInParts), the forms coming to light one at a time, or all at once from a guess. `eligible[i]`, when
 * given, is how many of the leaders page `indices[i]` may join (the forms made before it): it is compared with those
 * only.
 */
export function matchLeaders(
  pages: readonly PageAnalysis[],
  leaders: readonly number[],
  firstForm: number,
  indices: readonly number[],
  eligible?: readonly number[],
): Array<FormPlace | null> {
  const prepared = leaders.map((index) => {
    const leader = pages[index];
    if (leader === undefined) throw new Error(`no page ${index} to lead a form`);
    return prepareSignature(leader.inkSignature);
  });
  return indices.map((index, at) => {
    const page = pages[index];
    if (page === undefined) throw new Error(`no page ${index} to match`);
    const limit = Math.min(prepared.length, eligible?.[at] ?? prepared.length);
    if (limit === 0) return null;
    const mine = prepareSignature(page.inkSignature);
    for (let offset = 0; offset < limit; offset++) {
      const shift = matchForm(mine, prepared[offset] as PreparedSignature);
      if (shift !== null) return { form: firstForm + offset, dx: shift[0], dy: shift[1] };
    }
    return null;
  });
}

/**
 * The grouping from the places of the settled pages (`places[position]` for order positions below `settled`), with
 * the doubtful pages then placed after them as planFill places them: planFill's result when each settled page joins
 * the first form made before it that it matches, and leads one when there is none.
 */
export function finishPlan(pages: readonly PageAnalysis[], grouping: GroupingOrder, places: readonly SettledPlace[]): FillPlan {
  const { order, settled } = grouping;
  const forms: Grouping['forms'] = [];
  for (let position = 0; position < settled; position++) {
    const index = order[position] as number;
    const place = places[position];
    const page = pages[index];
    if (place === undefined || page === undefined) throw new Error(`no place for the settled page at ${position}`);
    if (place === 'leads') {
      forms.push({ leader: prepareSignature(page.inkSignature), members: [{ index, dx: 0, dy: 0 }] });
    } else if ('tried' in place) {
      const mine = prepareSignature(page.inkSignature);
      const form = forms.slice(place.tried).find((candidate) => {
        const shift = matchForm(mine, candidate.leader);
        if (shift !== null) candidate.members.push({ index, dx: shift[0], dy: shift[1] });
        return shift !== null;
      });
      if (form === undefined) forms.push({ leader: mine, members: [{ index, dx: 0, dy: 0 }] });
    } else {
      const form = forms[place.form];
      if (form === undefined) throw new Error(`a page placed in form ${place.form} before it was made`);
      form.members.push({ index, dx: place.dx, dy: place.dy });
    }
  }
  const done: Grouping = { forms, turns: [] };
  placePages(pages, done, order, settled, order.length);
  return { turns: done.turns, forms: forms.map((form) => form.members) };
}

/** A page's call by its form (measureForms). */
export interface FormFill {
  index: number;
  fill: FillState;
  inkScore: number;
}

/**
 * Some of one form's pages, by their place in the form (`from` up to `to`, all when left out): a large form is
 * measured in slices by several threads, each learning the form's print from all its pages, as one thread would.
 */
export interface FormSlice {
  form: number;
  from?: number;
  to?: number;
}

/**
 * Filled / empty for the pages of the plan's forms (or slices of them) in `which`, each form's print learnt from all
 * its own pages (`pages` turned as the plan says: applyTurns). A form of fewer than two pages is left out: its page
 * keeps its call.
 */
export function measureForms(pages: readonly PageAnalysis[], plan: FillPlan, which: readonly FormSlice[], inspect?: FinaliseFillOptions['inspect']): FormFill[] {
  const out: FormFill[] = [];
  for (const { form: formIndex, from = 0, to } of which) {
    const form = plan.forms[formIndex];
    if (form === undefined || form.length < MIN_PAGES_TO_LEARN_FORM) continue;
    const members = form.flatMap(({ index, dx, dy }) => {
      const page = pages[index];
      return page === undefined ? [] : [member(index, page.inkSignature, dx, dy)];
    });
    const learnt = learnForm(members);
    for (const { index, aligned } of members.slice(from, to)) {
      const signature = aligned();
      const measure = measureHandwriting(signature, learnt.print, learnt.ignore, ENVELOPE_TOLERANCE);
      inspect?.(index, signature, learnt.print, measure.residual);
      out.push({ index, fill: measure.fill, inkScore: measure.inkScore });
    }
  }
  return out;
}

/**
 * Decides filled / empty for a batch of pages, after the batch turning (turn-batch-pages.ts) has set upright the
 * pages one page alone could not. With a registered template, each page is compared with it. Without one, pages are
 * grouped by their print (blank types, planFill), each group's print is learnt from its pages — print is on every
 * page, handwriting differs — and each page's handwriting is the ink the print does not explain (measureForms). A page
 * that is alone of its kind keeps its provisional call, which never says 'empty' for a page with ink.
 */
export function finaliseFill(batch: PageAnalysis[], options: FinaliseFillOptions = {}): PageAnalysis[] {
  const pages = turnSidewaysForms(batch);
  if (options.template !== undefined) {
    const fit = fitToTemplate(options.template);
    return pages.map((page) => fit(page) ?? page);
  }
  const plan = planFill(pages);
  const turned = applyTurns(pages, plan.turns);
  return withFills(turned, measureForms(turned, plan, plan.forms.map((_, form) => ({ form })), options.inspect));
}

/** The pages with their forms' calls in place of their provisional ones. */
export function withFills(pages: readonly PageAnalysis[], fills: readonly FormFill[]): PageAnalysis[] {
  const out = [...pages];
  for (const { index, fill, inkScore } of fills) {
    const page = out[index];
    if (page !== undefined) out[index] = { ...page, fill, inkScore };
  }
  return out;
}
