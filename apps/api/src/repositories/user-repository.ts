import type { CreateUserRequest, UpdateUserRequest } from '@collector/contracts';
import { AppError } from '../errors.ts';
import type { PrismaClient, User } from '../generated/prisma/client.ts';
import { recordAudit } from '../services/audit.ts';
import { createUser } from '../services/create-user.ts';
import { assertStrongPassword } from '../services/password-strength.ts';
import { generatePassword, hashPassword } from '../services/passwords.ts';

/** Who is acting: a signed-in admin through the API, or a person at the server's command line. */
export interface UserActor {
  userId: string | null;
  ip?: string | null;
  via: 'api' | 'cli';
}

export interface UserWithPassword {
  user: User;
  /** present only when the server generated the password: shown once, never stored */
  generatedPassword?: string;
}

function via(actor: UserActor): { via?: 'cli' } {
  return actor.via === 'cli' ? { via: 'cli' } : {};
}

/**
 * Everything the API and the command line do to user accounts, in one place, so that both end
 * sessions and reset links the same way and leave the same audit trail.
 */
export function userRepository(prisma: PrismaClient) {
  return {
    list(): Promise<User[]> {
      return prisma.user.findMany({ orderBy: [{ regionCode: 'asc' }, { login: 'asc' }] });
    },

    findById(id: string): Promise<User | null> {
      return prisma.user.findUnique({ where: { id } });
    },

    findByLogin(login: string): Promise<User | null> {
      return prisma.user.findUnique({ where: { login: login.trim().toLowerCase() } });
    },

    async create(input: CreateUserRequest, actor: UserActor): Promise<UserWithPassword> {
      const { user, generatedPassword } = await createUser(prisma, input);
      await recordAudit(prisma, {
        userId: actor.userId,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        regionCode: user.regionCode,
        after: { login: user.login, role: user.role, regionCode: user.regionCode, ...via(actor) },
        ip: actor.ip ?? null,
      });
      return { user, ...(generatedPassword ? { generatedPassword } : {}) };
    },

    /**
     * Disables or enables an account, resets its password (`true` → a generated one), edits name
     * and email. Disabling or a new password ends every session and every unused reset link.
     */
    async update(userId: string, changes: UpdateUserRequest, actor: UserActor): Promise<UserWithPassword> {
      const before = await prisma.user.findUnique({ where: { id: userId } });
      if (!before) throw new AppError('not_found');
      const { disabled, resetPassword, fullName, email } = changes;
      if (disabled === true && before.id === actor.userId) {
        throw new AppError('conflict', { detail: 'Нельзя отключить собственную учётную запись' });
      }
      const generatedPassword = resetPassword === true ? generatePassword() : undefined;
      const newPassword = typeof resetPassword === 'string' ? resetPassword : generatedPassword;
      if (typeof resetPassword === 'string') await assertStrongPassword(resetPassword, before);
      // hashed before the transaction: it takes a while and must not hold the database meanwhile
      const passwordHash = newPassword ? await hashPassword(newPassword) : undefined;
      const user = await prisma.$transaction(async (tx) => {
        const updated = await tx.user.update({
          where: { id: before.id },
          data: {
            ...(disabled !== undefined ? { disabled } : {}),
            ...(fullName !== undefined ? { fullName } : {}),
            ...(email !== undefined ? { email } : {}),
            ...(passwordHash ? { passwordHash } : {}),
          },
        });
        if (disabled === true || passwordHash) {
          await tx.session.deleteMany({ where: { userId: before.id } });
          await tx.passwordResetToken.updateMany({ where: { userId: before.id, usedAt: null }, data: { usedAt: new Date() } });
        }
        await recordAudit(tx, {
          userId: actor.userId,
          action: 'user.update',
          entityType: 'user',
          entityId: before.id,
          regionCode: before.regionCode,
          before: { disabled: before.disabled, fullName: before.fullName, email: before.email },
          after: { disabled: updated.disabled, fullName: updated.fullName, email: updated.email, passwordReset: Boolean(newPassword), ...via(actor) },
          ip: actor.ip ?? null,
        });
        return updated;
      });
      return { user, ...(generatedPassword ? { generatedPassword } : {}) };
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
