import type { Config } from '../config.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { judgePassword } from './password-strength.ts';
import { generatePassword, hashPassword } from './passwords.ts';

/**
 * On first start (no admin yet) creates the admin from ADMIN_LOGIN / ADMIN_PASSWORD, or with a
 * generated password that the caller prints once. Returns null when an admin already exists.
 */
export async function seedAdmin(
  prisma: PrismaClient,
  config: Pick<Config, 'adminLogin' | 'adminPassword'>,
): Promise<{ login: string; generatedPassword: string | undefined } | null> {
  const existing = await prisma.user.count({ where: { role: 'admin' } });
  if (existing > 0) return null;
  const generatedPassword = config.adminPassword ? undefined : generatePassword();
  const password = config.adminPassword ?? generatedPassword ?? generatePassword();
  const login = config.adminLogin.toLowerCase();
  if (config.adminPassword !== undefined) {
    const verdict = await judgePassword(config.adminPassword, { login, fullName: 'Администратор' });
    if (!verdict.ok) throw new Error(`ADMIN_PASSWORD is too easy to guess: ${verdict.reason}`);
  }
  const taken = await prisma.user.findUnique({ where: { login } });
  if (taken) throw new Error(`ADMIN_LOGIN "${login}" already belongs to a ${taken.role}; choose another ADMIN_LOGIN for the first admin.`);
  await prisma.user.create({ data: { login, role: 'admin', passwordHash: await hashPassword(password), fullName: 'Администратор' } });
  return { login, generatedPassword };
}
