import type { ScanGate } from '@collector/contracts';
import { AppError } from '../../errors.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

/**
 * The instruction's gate: «Нераспознанные штрихкоды делают невозможным дальнейшую обработку бланков». An unrecognised
 * scan has no blank, so no school or event of its own: it counts against every school and event its upload holds
 * recognised scans of (an archive is a school's scans of an event, so that is where the missing blank belongs).
 */
export async function scanGate(prisma: PrismaClient, scope: { regionCode?: string }, query: { uploadId?: string | undefined; schoolCode?: string | undefined; eventCode?: string | undefined }): Promise<ScanGate> {
  const live = { deletedAt: null, ...scope };
  const result = (kind: ScanGate['scope'], total: number, unrecognized: number): ScanGate => ({ scope: kind, total, unrecognized, readyForProcessing: unrecognized === 0 });

  if (query.uploadId) {
    const upload = await prisma.upload.findFirst({ where: { id: query.uploadId, ...scope }, select: { id: true } });
    if (!upload) throw new AppError('not_found');
    const [total, unrecognized] = await Promise.all([
      prisma.scan.count({ where: { ...live, uploadId: upload.id } }),
      prisma.scan.count({ where: { ...live, uploadId: upload.id, status: 'unrecognized' } }),
    ]);
    return result('upload', total, unrecognized);
  }

  if (query.schoolCode || query.eventCode) {
    const blankWhere: { schoolId?: string; eventId?: string } = {};
    if (query.schoolCode) {
      const school = await prisma.school.findFirst({ where: { code: query.schoolCode, ...scope }, select: { id: true } });
      if (!school) throw new AppError('not_found');
      blankWhere.schoolId = school.id;
    }
    if (query.eventCode) {
      const event = await prisma.event.findUnique({ where: { code: query.eventCode }, select: { id: true } });
      if (!event) throw new AppError('not_found');
      blankWhere.eventId = event.id;
    }
    const recognizedWhere = { ...live, status: 'recognized' as const, blank: blankWhere };
    const uploads = await prisma.scan.findMany({ where: recognizedWhere, select: { uploadId: true }, distinct: ['uploadId'] });
    const [recognized, unrecognized] = await Promise.all([
      prisma.scan.count({ where: recognizedWhere }),
      prisma.scan.count({ where: { ...live, status: 'unrecognized', uploadId: { in: uploads.map((u) => u.uploadId) } } }),
    ]);
    return result(query.schoolCode ? 'school' : 'event', recognized + unrecognized, unrecognized);
  }

  const [total, unrecognized] = await Promise.all([prisma.scan.count({ where: live }), prisma.scan.count({ where: { ...live, status: 'unrecognized' } })]);
  return result('region', total, unrecognized);
}
