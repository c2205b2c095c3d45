import type { UnrecognizedReason } from '@collector/contracts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

export interface BlankMatch {
  status: 'recognized' | 'unrecognized';
  reason: UnrecognizedReason | null;
  blankId: string | null;
  eventId: string | null;
  position: number | null;
}

/**
 * DESIGN.md's recognition: a number is recognised only when it is a blank of the uploader's region's registry;
 * another region's blank is `foreign_region`, a number the registry does not know is `unknown_blank`.
 */
export async function matchBlank(prisma: PrismaClient, regionCode: string, blankNumber: string | null, unreadReason: UnrecognizedReason | null): Promise<BlankMatch> {
  if (blankNumber === null) return { status: 'unrecognized', reason: unreadReason ?? 'no_barcode', blankId: null, eventId: null, position: null };
  const blank = await prisma.blank.findUnique({ where: { number: blankNumber }, select: { id: true, regionCode: true, eventId: true, position: true } });
  if (!blank) return { status: 'unrecognized', reason: 'unknown_blank', blankId: null, eventId: null, position: null };
  if (blank.regionCode !== regionCode) return { status: 'unrecognized', reason: 'foreign_region', blankId: null, eventId: blank.eventId, position: blank.position };
  return { status: 'recognized', reason: null, blankId: blank.id, eventId: blank.eventId, position: blank.position };
}
