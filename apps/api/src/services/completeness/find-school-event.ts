import { AppError } from '../../errors.ts';
import type { Event, PrismaClient, School } from '../../generated/prisma/client.ts';

/** An event by its code; not found is 404. */
export async function findEvent(prisma: PrismaClient, code: string): Promise<Event> {
  const event = await prisma.event.findUnique({ where: { code } });
  if (!event) throw new AppError('not_found', { detail: `Мероприятие ${code} не найдено` });
  return event;
}

/**
 * A school the caller may see (another region's school is simply not found), and one of its events: the one named
 * (looked up beside the school, in parallel), or else the latest event with kits at the school.
 */
export async function findSchoolEvent(
  prisma: PrismaClient,
  scope: { regionCode?: string },
  schoolCode: string,
  eventCode: string | undefined,
): Promise<{ school: School; event: Event }> {
  const [school, named] = await Promise.all([
    prisma.school.findFirst({ where: { code: schoolCode, ...scope } }),
    eventCode ? prisma.event.findUnique({ where: { code: eventCode } }) : Promise.resolve(null),
  ]);
  if (!school) throw new AppError('not_found', { detail: `Точка проведения ${schoolCode} не найдена` });
  if (eventCode) {
    if (named) return { school, event: named };
    throw new AppError('not_found', { detail: `Мероприятие ${eventCode} не найдено` });
  }
  const kit = await prisma.kit.findFirst({
    where: { schoolId: school.id },
    include: { event: true },
    orderBy: [{ event: { date: 'desc' } }, { event: { code: 'asc' } }],
  });
  if (!kit) throw new AppError('not_found', { detail: `У точки проведения ${schoolCode} нет комплектов` });
  return { school, event: kit.event };
}
