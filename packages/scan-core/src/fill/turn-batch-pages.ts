/**
 * The batch turning: pages whose way up one page alone could not settle are turned by what the rest of the batch
 * shows — a form whose pages all print their code sideways to their words, and a doubtful page (oriented by its
 * content alone, or with its words across its code) that matches its form clearly better under another turn. A
 * turned page carries 'rotation_corrected_by_batch'.
 */
import { turnImageHash } from '../image/turn-image-hash.ts';
import { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from '../shared/diagnostics.ts';
import type { PageAnalysis, Rotation, TurnAlternative } from '../shared/types.ts';
import { turnInkSignature } from './compute-ink-signature.ts';
import { SAME_FORM_COVERAGE, isSameForm, prepareSignature } from './match-form.ts';
import type { PreparedSignature } from './match-form.ts';

const HALF_TURN = 180;
const FULL_TURN = 360;
const QUARTER_TURNS: readonly number[] = [90, 270];
/** How much better a page must match turned than as it is before the batch turns it. */
const TURN_MARGIN = 0.08;
/** Pages of one form whose codes were read, at least this many, before the batch judges how the form prints it. */
const SIDEWAYS_MIN_PAGES = 4;
/** Share of them whose words run across the code: then the form prints its code sideways to its text. */
const SIDEWAYS_MIN_SHARE = 0.75;

/** The page under the other turns the batch may choose: as analysed (every quarter turn), or else turned by 180°. */
function turnCandidates(page: PageAnalysis): TurnAlternative[] {
  if (page.alternatives !== undefined && page.alternatives.length > 0) return page.alternatives;
  return [{ rotation: ((page.rotation + HALF_TURN) % FULL_TURN) as Rotation, inkSignature: turnInkSignature(page.inkSignature, 2), imageHash: turnImageHash(page.imageHash) }];
}

/**
 * A page the batch showed to lie another way: rotation, signature and hash of that turn. Its upright JPEG and
 * thumbnail, if any, are dropped (they show the page the old way); the caller re-creates them by turning by the
 * difference of the two rotations (turnJpeg with (new − old) / 90 quarter turns, then makeThumbnail).
 */
export function turnPage(page: PageAnalysis, to: TurnAlternative): PageAnalysis {
  const { uprightJpeg: _stale, uprightThumbnail: _staleThumbnail, ...rest } = page;
  return {
    ...rest,
    rotation: to.rotation,
    inkSignature: to.inkSignature,
    imageHash: to.imageHash,
    diagnostics: [...page.diagnostics, ROTATION_CORRECTED_BY_BATCH],
  };
}

/** A page the batch turned (by its index in the batch), and to which rotation. */
export interface BatchTurn {
  index: number;
  rotation: Rotation;
}

/** The pages under the turns the batch chose (each one of its page's turnCandidates, by rotation); the rest as they are. */
export function applyTurns(pages: readonly PageAnalysis[], turns: readonly BatchTurn[]): PageAnalysis[] {
  const out = [...pages];
  for (const { index, rotation } of turns) {
    const page = out[index];
    const to = page === undefined ? undefined : turnCandidates(page).find((candidate) => candidate.rotation === rotation);
    if (page !== undefined && to !== undefined) out[index] = turnPage(page, to);
  }
  return out;
}

/**
 * For a doubtful page (oriented by its content alone, or whose words run across the code that oriented it): the turn
 * under which it matches the forms learnt so far clearly better than as it is (`coverageOf` gives the best share of any known form's print a page covers), or null to keep it.
 */
export function findBetterTurn(
  page: PageAnalysis,
  asItIs: PreparedSignature,
  coverageOf: (prepared: PreparedSignature) => number,
): { to: TurnAlternative; prepared: PreparedSignature } | null {
  let best: { to: TurnAlternative; prepared: PreparedSignature } | null = null;
  let bar = Math.max(SAME_FORM_COVERAGE, coverageOf(asItIs) + TURN_MARGIN);
  for (const to of turnCandidates(page)) {
    const prepared = prepareSignature(to.inkSignature);
    const covered = coverageOf(prepared);
    if (covered >= bar) {
      best = { to, prepared };
      bar = covered;
    }
  }
  return best;
}

/** Whether a page's code set its way up and its words run across that code (a form that prints its code sideways?). */
export function wordsAcrossCode({ diagnostics }: Pick<PageAnalysis, 'diagnostics'>): boolean {
  return !diagnostics.includes(ORIENTATION_FROM_CONTENT) && diagnostics.includes(ORIENTATION_CONTENT_DISAGREES);
}

/** Whether turnSidewaysForms can turn anything: only when the words of some page oriented by its code run across it. */
export function mayTurnSidewaysForms(pages: ReadonlyArray<Pick<PageAnalysis, 'diagnostics'>>): boolean {
  return pages.some(wordsAcrossCode);
}

/** The sideways step's outcome: the turns of the forms that print their code sideways, and its grouping by print. */
export interface SidewaysForms {
  turns: BatchTurn[];
  /** batch indices, form by form */
  forms: number[][];
}

/**
 * The forms turnSidewaysForms judges and the turns it makes: the pages whose code oriented them, grouped by print in
 * batch order (each joins the first form whose leader it matches, or leads a new one; `forms` by batch index, in the
 * order the forms were made), and for every form that prints its code sideways, its pages under the quarter turn
 * their words agree on. The grouping is also the batch's guess at its forms (decide-batch.ts, placeSettledPages).
 */
export function findSidewaysForms(pages: readonly PageAnalysis[]): SidewaysForms {
  const forms: Array<{ leader: PreparedSignature; members: number[] }> = [];
  for (const [index, page] of pages.entries()) {
    if (page.diagnostics.includes(ORIENTATION_FROM_CONTENT)) continue;
    const mine = prepareSignature(page.inkSignature);
    const form = forms.find(({ leader }) => isSameForm(mine, leader));
    if (form === undefined) forms.push({ leader: mine, members: [index] });
    else form.members.push(index);
  }
  const turns: BatchTurn[] = [];
  for (const { members } of forms) {
    if (members.length < SIDEWAYS_MIN_PAGES) continue;
    const across = members.filter((index) => pages[index]?.diagnostics.includes(ORIENTATION_CONTENT_DISAGREES));
    if (across.length < members.length * SIDEWAYS_MIN_SHARE) continue;
    // which quarter turn: the one most of these pages' words point to
    const votes = new Map<number, number>();
    for (const index of across) {
      const page = pages[index];
      if (page?.contentRotation === undefined) continue;
      const offset = (page.contentRotation - page.rotation + FULL_TURN) % FULL_TURN;
      if (QUARTER_TURNS.includes(offset)) votes.set(offset, (votes.get(offset) ?? 0) + 1);
    }
    const [offset] = [...votes.entries()].sort((first, second) => second[1] - first[1])[0] ?? [];
    if (offset === undefined) continue;
    for (const index of members) {
      const page = pages[index];
      const rotation = page === undefined ? undefined : (((page.rotation + offset) % FULL_TURN) as Rotation);
      if (rotation !== undefined && page?.alternatives?.some((turn) => turn.rotation === rotation)) turns.push({ index, rotation });
    }
  }
  return { turns, forms: forms.map(({ members }) => members) };
}

/**
 * Forms that print their blank-number code sideways to the text: a read code gives each page its way up, and on
 * such a form every page comes out a quarter turn off, consistently (so the pages still group by their print). One
 * page's words can be misjudged; most pages of a form agreeing that their words run across the code cannot, so the
 * whole form is turned by the quarter turn its pages' words agree on (rotation_corrected_by_batch). Fewer pages, or
 * a split vote, and the codes' way up stands (findSidewaysForms).
 */
export function turnSidewaysForms(pages: readonly PageAnalysis[]): PageAnalysis[] {
  if (!mayTurnSidewaysForms(pages)) return [...pages];
  return applyTurns(pages, findSidewaysForms(pages).turns);
}
