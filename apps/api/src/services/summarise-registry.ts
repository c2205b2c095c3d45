import type { RegistrySummaryResponse } from '@collector/contracts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** «Реестр»: events, regions and schools with their kit and blank counts, from a few grouped counts. */
export async function summariseRegistry(prisma: PrismaClient): Promise<RegistrySummaryResponse> {
  const [events, schools, kitGroups, blankGroups] = await Promise.all([
    prisma.event.findMany({ orderBy: [{ date: 'desc' }, { code: 'asc' }] }),
    prisma.school.findMany({ orderBy: [{ regionCode: 'asc' }, { code: 'asc' }] }),
    prisma.kit.groupBy({ by: ['eventId', 'schoolId'], _count: { _all: true } }),
    prisma.blank.groupBy({ by: ['eventId', 'schoolId'], _count: { _all: true } }),
  ]);

  const perEvent = new Map<string, { schools: Set<string>; kits: number; blanks: number }>();
  const perSchool = new Map<string, { events: Set<string>; kits: number; blanks: number }>();
  const eventEntry = (id: string) => perEvent.get(id) ?? perEvent.set(id, { schools: new Set(), kits: 0, blanks: 0 }).get(id);
  const schoolEntry = (id: string) => perSchool.get(id) ?? perSchool.set(id, { events: new Set(), kits: 0, blanks: 0 }).get(id);
  for (const group of kitGroups) {
    const event = eventEntry(group.eventId);
    const school = schoolEntry(group.schoolId);
    if (!event || !school) continue;
    event.schools.add(group.schoolId);
    event.kits += group._count._all;
    school.events.add(group.eventId);
    school.kits += group._count._all;
  }
  for (const group of blankGroups) {
    const event = eventEntry(group.eventId);
    const school = schoolEntry(group.schoolId);
    if (!event || !school) continue;
    event.blanks += group._count._all;
    school.blanks += group._count._all;
  }

  const schoolRows = schools.map((school) => {
    const counts = perSchool.get(school.id);
    return { code: school.code, regionCode: school.regionCode, events: counts?.events.size ?? 0, kits: counts?.kits ?? 0, blanks: counts?.blanks ?? 0 };
  });
  const regions = new Map<string, { regionCode: string; schools: number; kits: number; blanks: number }>();
  for (const school of schoolRows) {
    const region = regions.get(school.regionCode) ?? { regionCode: school.regionCode, schools: 0, kits: 0, blanks: 0 };
    region.schools += 1;
    region.kits += school.kits;
    region.blanks += school.blanks;
    regions.set(school.regionCode, region);
  }

  const eventRows = events.map((event) => {
    const counts = perEvent.get(event.id);
    return {
      code: event.code,
      title: event.title,
      date: event.date.toISOString().slice(0, 10),
      schools: counts?.schools.size ?? 0,
      kits: counts?.kits ?? 0,
      blanks: counts?.blanks ?? 0,
    };
  });
  return {
    events: eventRows,
    regions: [...regions.values()],
    schools: schoolRows,
    totals: {
      events: eventRows.length,
      schools: schoolRows.length,
      kits: eventRows.reduce((sum, e) => sum + e.kits, 0),
      blanks: eventRows.reduce((sum, e) => sum + e.blanks, 0),
    },
  };
}
