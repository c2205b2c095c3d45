import type { CompletenessFilter, CompletenessKit, SlotState } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { EFFECTIVE_EMPTY } from './count-schools.ts';

interface SlotRow {
  kitNumber: string;
  position: number;
  blankNumber: string;
  scanIds: string[];
  empties: number;
}

export function slotState(liveScans: number, empties: number): SlotState {
  if (liveScans === 0) return 'missing';
  if (liveScans > 1) return 'duplicate';
  return empties > 0 ? 'empty' : 'filled';
}

/** The grid query itself (the benchmark prints its plan). */
export function kitGridSql(eventId: string, schoolId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT k.number AS "kitNumber", b.position, b.number AS "blankNumber",
           COALESCE(array_agg(s.id::text ORDER BY s."createdAt", s.id) FILTER (WHERE s.id IS NOT NULL), '{}'::text[]) AS "scanIds",
           (count(s.id) FILTER (WHERE ${EFFECTIVE_EMPTY}))::int AS empties
      FROM "Blank" b
      JOIN "Kit" k ON k.id = b."kitId"
      LEFT JOIN "Scan" s ON s."blankId" = b.id AND s."deletedAt" IS NULL
     WHERE b."eventId" = ${eventId}::uuid AND b."schoolId" = ${schoolId}::uuid
     GROUP BY k.number, b.position, b.number
     ORDER BY k.number, b.position`;
}

/**
 * A school's kits × blank positions for one event: one row per registry blank (the school's few hundred), each with
 * the ids of its live scans, from the blanks' (event, school) index and the scans' blank index.
 */
export async function buildKitGrid(prisma: PrismaClient, eventId: string, schoolId: string): Promise<{ positions: number; kits: CompletenessKit[] }> {
  const rows = await prisma.$queryRaw<SlotRow[]>(kitGridSql(eventId, schoolId));
  const kits: CompletenessKit[] = [];
  let positions = 0;
  for (const row of rows) {
    positions = Math.max(positions, row.position);
    let kit = kits.at(-1);
    if (kit?.kitNumber !== row.kitNumber) {
      kit = { kitNumber: row.kitNumber, slots: [] };
      kits.push(kit);
    }
    kit.slots.push({ position: row.position, blankNumber: row.blankNumber, state: slotState(row.scanIds.length, row.empties), scanIds: row.scanIds });
  }
  return { positions, kits };
}

/** «Правильно заполненные» / «Пустые»: the kits holding such a blank, with only those slots. */
export function filterKits(kits: CompletenessKit[], filter: CompletenessFilter): CompletenessKit[] {
  if (filter === 'all') return kits;
  return kits
    .map((kit) => ({ kitNumber: kit.kitNumber, slots: kit.slots.filter((slot) => slot.state === filter) }))
    .filter((kit) => kit.slots.length > 0);
}
