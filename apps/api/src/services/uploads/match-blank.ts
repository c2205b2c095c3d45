import type { UnrecognizedReason } from '@collector/contracts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

export interface BlankMatch {
  status: 'recognized' | 'unrecognized';
  reason: UnrecognizedReason | null;
  blankId: string | null;
  eventId: string | null;
  position: number | null;
}

interface RegistryBlank {
  id: string;
  regionCode: string;
  eventId: string;
  position: number;
}

function judge(blank: RegistryBlank | undefined, regionCode: string, blankNumber: string | null, unreadReason: UnrecognizedReason | null): BlankMatch {
  if (blankNumber === null) return { status: 'unrecognized', reason: unreadReason ?? 'no_barcode', blankId: null, eventId: null, position: null };
  if (!blank) return { status: 'unrecognized', reason: 'unknown_blank', blankId: null, eventId: null, position: null };
  if (blank.regionCode !== regionCode) return { status: 'unrecognized', reason: 'foreign_region', blankId: null, eventId: blank.eventId, position: blank.position };
  return { status: 'recognized', reason: null, blankId: blank.id, eventId: blank.eventId, position: blank.position };
}

/**
 * DESIGN.md's recognition, for several pages with one query (the matches in the pages' order): a number is recognised
 * only when it is a blank of the uploader's region's registry; another region's blank is `foreign_region`, a number the
 * registry does not know is `unknown_blank`.
 */
export async function matchBlanks(
  prisma: PrismaClient,
  regionCode: string,
  pages: ReadonlyArray<{ blankNumber: string | null; unreadReason: UnrecognizedReason | null }>,
): Promise<BlankMatch[]> {
  const numbers = [...new Set(pages.flatMap((page) => (page.blankNumber === null ? [] : [page.blankNumber])))];
  const blanks =
    numbers.length === 0
      ? []
      : await prisma.blank.findMany({ where: { number: { in: numbers } }, select: { number: true, id: true, regionCode: true, eventId: true, position: true } });
  const byNumber = new Map(blanks.map((blank) => [blank.number, blank]));
  return pages.map((page) => judge(page.blankNumber === null ? undefined : byNumber.get(page.blankNumber), regionCode, page.blankNumber, page.unreadReason));
}
