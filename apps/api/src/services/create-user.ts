import type { CreateUserRequest } from '@collector/contracts';
import { AppError } from '../errors.ts';
import { Prisma, type PrismaClient, type User } from '../generated/prisma/client.ts';
import { assertStrongPassword } from './password-strength.ts';
import { generatePassword, hashPassword } from './passwords.ts';

/**
 * Creates a user, checking the role/region rule (coordinators and operators belong to one
 * region that is in the list of regions, an admin to none) and the password rule. Used by the API and the CLI.
 */
export async function createUser(
  prisma: PrismaClient,
  input: CreateUserRequest,
): Promise<{ user: User; generatedPassword: string | undefined }> {
  const regionCode = input.regionCode ?? null;
  if (input.role === 'admin' && regionCode) throw new AppError('region_not_allowed');
  if (input.role !== 'admin' && !regionCode) throw new AppError('region_required');
  const existing = await prisma.user.findUnique({ where: { login: input.login.toLowerCase() } });
  if (existing) throw new AppError('login_taken');
  if (regionCode && !(await prisma.region.findUnique({ where: { code: regionCode }, select: { code: true } }))) {
    throw new AppError('region_unknown', { detail: `Региона с кодом ${regionCode} нет в справочнике регионов`, fieldErrors: [{ path: 'body.regionCode', message: `Региона с кодом ${regionCode} нет в справочнике регионов` }] });
  }
  if (input.password !== undefined) await assertStrongPassword(input.password, input);
  const generatedPassword = input.password ? undefined : generatePassword();
  const password = input.password ?? generatedPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    const user = await prisma.$transaction(async (tx) => {
      return tx.user.create({
        data: {
          login: input.login.toLowerCase(),
          passwordHash,
          role: input.role,
          regionCode,
          fullName: input.fullName ?? '',
          email: input.email ?? null,
        },
      });
    });
    return { user, generatedPassword };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('login_taken');
    throw error;
  }
}
