import path from 'node:path';
import type { NumberSuggestion } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { BLANK_NUMBER_LENGTH } from './blank-number-rule.ts';
import { findDigitLineCrops } from './digit-line-crops.ts';
import type { DigitReader } from './digit-reader.ts';
import type { UprightRenditions } from './upright-rendition.ts';
import { loosenedPatterns, printedNumberPatterns, softAgreement } from './printed-number-patterns.ts';

export interface SuggestionScan {
  id: string;
  uploadId: string;
  regionCode: string;
  entryName: string;
  entryIndex: number;
  pageIndex: number;
  storageKey: string;
  thumbnailKey: string | null;
  originalKey: string | null;
  skew: number;
  rotation: number;
  version: number;
  offeredNumber: string | null;
}

export interface SuggestDeps {
  prisma: PrismaClient;
  reader: DigitReader;
  renditions: UprightRenditions;
}

/** What OCR made of a page: the candidates of the region's registry its printed digits fit. */
export interface OcrOutcome {
  /** the read was the whole number, every digit sure, and it is a blank of the region */
  whole: string | null;
  /** registry blanks the read fits exactly (unread places free) */
  fits: string[];
  /** registry blanks the read fits with one sure digit let go (found only when nothing fit exactly) */
  loose: string[];
}

type Source = NumberSuggestion['source'];
interface Candidate {
  blankNumber: string;
  sources: Set<Source>;
  rank: number;
}

const MAX_FITS = 10;
const BLOT_INK_SHARE = 0.5;
const NEIGHBOUR_REACH = 3;
const PREFIX_LIMIT = 8;
const OCR_CACHE_SIZE = 300;
const ocrCache = new Map<string, OcrOutcome>();

async function registryMatches(prisma: PrismaClient, regionCode: string, patterns: string[], limit: number): Promise<string[]> {
  if (patterns.length === 0) return [];
  const rows = await prisma.$queryRaw<Array<{ number: string }>>(Prisma.sql`
    SELECT number FROM "Blank" WHERE "regionCode" = ${regionCode} AND number LIKE ANY(${patterns}::text[]) ORDER BY number LIMIT ${limit}`);
  return rows.map((r) => r.number);
}

/**
 * Reads the digits printed beside the code on the stored upright page and narrows them by the region's registry.
 * Cached per scan version and rotation, so moving back and forth through a queue does not read a page twice.
 */
export async function readPrintedNumber(deps: SuggestDeps, scan: SuggestionScan): Promise<OcrOutcome> {
  const key = `${scan.id}:${scan.version}:${scan.rotation}:${scan.storageKey}`;
  const cached = ocrCache.get(key);
  if (cached) return cached;
  const outcome: OcrOutcome = { whole: null, fits: [], loose: [] };
  const bytes = await deps.renditions.read(scan);
  if (bytes && scan.storageKey.endsWith('.jpg')) {
    for (const crop of await findDigitLineCrops(bytes)) {
      // a symbol over a blot is ink, not a digit
      const digits = (await deps.reader.readLine(crop.png)).map((d) => (crop.inkShare(d.x0, d.x1) > BLOT_INK_SHARE ? { ...d, confidence: 0 } : d));
      const read = printedNumberPatterns(digits, BLANK_NUMBER_LENGTH);
      if (!read || read.patterns.length === 0) continue;
      const fits = await registryMatches(deps.prisma, scan.regionCode, read.patterns, MAX_FITS + 1);
      const bySoftRead = (list: string[]) => [...list].sort((a, b) => softAgreement(read.soft, b) - softAgreement(read.soft, a) || a.localeCompare(b));
      if (fits.length > 0 && fits.length <= MAX_FITS) {
        outcome.fits = bySoftRead(fits);
        outcome.whole = read.whole !== null && fits.includes(read.whole) ? read.whole : null;
        break;
      }
      if (fits.length === 0) {
        const loose = await registryMatches(deps.prisma, scan.regionCode, loosenedPatterns(read.patterns), MAX_FITS + 1);
        if (loose.length > 0 && loose.length <= MAX_FITS) {
          outcome.loose = bySoftRead(loose);
          break;
        }
      }
    }
  }
  ocrCache.set(key, outcome);
  if (ocrCache.size > OCR_CACHE_SIZE) ocrCache.delete(ocrCache.keys().next().value ?? key);
  return outcome;
}

/**
 * The blanks the pages around this one in scan order point at: a scanner feeds a kit's pages in order, so the page
 * after kit 100004 position 1 (and before its position 3) is position 2. Only pages of the same upload and folder.
 */
export async function neighbourNumbers(prisma: PrismaClient, scan: SuggestionScan): Promise<string[]> {
  const folder = path.posix.dirname(scan.entryName);
  const around = await prisma.scan.findMany({
    where: { uploadId: scan.uploadId, deletedAt: null },
    select: { id: true, entryName: true, blank: { select: { kitId: true, position: true, kit: { select: { slots: true } } } } },
    orderBy: [{ entryIndex: 'asc' }, { pageIndex: 'asc' }],
  });
  const inFolder = around.filter((s) => path.posix.dirname(s.entryName) === folder);
  const at = inFolder.findIndex((s) => s.id === scan.id);
  if (at < 0) return [];
  const wanted: Array<{ kitId: string; position: number }> = [];
  for (const direction of [-1, 1] as const) {
    for (let d = 1; d <= NEIGHBOUR_REACH; d++) {
      const other = inFolder[at + direction * d];
      if (!other) break;
      if (!other.blank) continue;
      const position = other.blank.position - direction * d;
      if (position >= 1 && position <= other.blank.kit.slots) wanted.push({ kitId: other.blank.kitId, position });
      break;
    }
  }
  if (wanted.length === 0) return [];
  const blanks = await prisma.blank.findMany({ where: { regionCode: scan.regionCode, OR: wanted }, select: { number: true, kitId: true, position: true } });
  const numbers = wanted.flatMap((w) => blanks.filter((b) => b.kitId === w.kitId && b.position === w.position).map((b) => b.number));
  return [...new Set(numbers)];
}

async function prefixNumbers(prisma: PrismaClient, regionCode: string, prefix: string): Promise<string[]> {
  const rows = await prisma.blank.findMany({ where: { regionCode, number: { startsWith: prefix } }, select: { number: true }, orderBy: { number: 'asc' }, take: PREFIX_LIMIT });
  return rows.map((r) => r.number);
}

/**
 * «НОМЕР БЛАНКА» suggestions, best first. `confident` only where a wrong number is practically impossible: a barcode
 * read (checksummed) that is a blank of the region, or a printed-digit read that the registry narrows to one blank
 * and the scan order names independently. Nothing here is ever saved: a person takes a suggestion or not.
 */
export async function suggestNumbers(deps: SuggestDeps, scan: SuggestionScan, options: { prefix?: string; ocr?: boolean } = {}): Promise<NumberSuggestion[]> {
  const candidates = new Map<string, Candidate>();
  const add = (blankNumber: string, source: Source, rank: number) => {
    const existing = candidates.get(blankNumber);
    if (existing) {
      existing.sources.add(source);
      existing.rank = Math.min(existing.rank, rank);
    } else candidates.set(blankNumber, { blankNumber, sources: new Set([source]), rank });
  };

  if (scan.offeredNumber) {
    const blank = await deps.prisma.blank.findFirst({ where: { number: scan.offeredNumber, regionCode: scan.regionCode }, select: { number: true } });
    if (blank) add(blank.number, 'barcode', 0);
  }
  const neighbours = await neighbourNumbers(deps.prisma, scan);
  const ocr = options.ocr === false ? { whole: null, fits: [], loose: [] } : await readPrintedNumber(deps, scan);
  if (ocr.whole) add(ocr.whole, 'ocr', 2);
  ocr.fits.forEach((n, i) => add(n, 'ocr', 3 + i * 0.01));
  for (const n of neighbours) add(n, 'neighbours', 4);
  ocr.loose.forEach((n, i) => add(n, 'ocr', 5 + i * 0.01));
  if (options.prefix) for (const n of await prefixNumbers(deps.prisma, scan.regionCode, options.prefix)) add(n, 'registry', 6);

  const numbers = [...candidates.keys()];
  const blanks = await deps.prisma.blank.findMany({ where: { number: { in: numbers }, regionCode: scan.regionCode }, select: { id: true, number: true, position: true, kit: { select: { number: true } } } });
  const live = await deps.prisma.scan.groupBy({ by: ['blankId'], where: { blankId: { in: blanks.map((b) => b.id) }, deletedAt: null, NOT: { id: scan.id } }, _count: { _all: true } });
  const liveOf = new Map(live.map((g) => [g.blankId, g._count._all]));

  const out = [...candidates.values()].map((c) => {
    const blank = blanks.find((b) => b.number === c.blankNumber);
    const ocrOnlyOne = ocr.fits.length === 1 && ocr.fits[0] === c.blankNumber;
    const byBarcode = c.sources.has('barcode');
    // two independent witnesses: the page's own digits, narrowed to this one blank, and the scan order
    const byDigitsAndOrder = (ocrOnlyOne || ocr.whole === c.blankNumber) && c.sources.has('neighbours') && neighbours.length === 1;
    const agreeing = c.sources.size > 1 ? -1 : 0;
    return {
      suggestion: {
        blankNumber: c.blankNumber,
        source: byBarcode ? 'barcode' : c.sources.has('ocr') ? 'ocr' : c.sources.has('neighbours') ? 'neighbours' : 'registry',
        confident: byBarcode || byDigitsAndOrder,
        sources: [...c.sources],
        kitNumber: blank?.kit.number ?? null,
        position: blank?.position ?? null,
        liveScans: blank ? (liveOf.get(blank.id) ?? 0) : 0,
      } satisfies NumberSuggestion,
      order: (byBarcode || byDigitsAndOrder ? -10 : 0) + c.rank + agreeing + (blank && (liveOf.get(blank.id) ?? 0) > 0 ? 0.5 : 0),
    };
  });
  return out.sort((a, b) => a.order - b.order || a.suggestion.blankNumber.localeCompare(b.suggestion.blankNumber)).map((o) => o.suggestion);
}
