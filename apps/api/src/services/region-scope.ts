import { AppError } from '../errors.ts';
import type { User } from '../generated/prisma/client.ts';

/**
 * The rows a user may see: an admin sees every region, anyone else only their own. Routes add
 * this to every query, so a record of another region is simply not found (404, not 403).
 */
export function regionScope(user: User): { regionCode?: string } {
  if (user.role === 'admin') return {};
  // a coordinator or operator always has a region (a database check enforces it); without one, nothing
  if (!user.regionCode) throw new AppError('forbidden');
  return { regionCode: user.regionCode };
}
