import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.ts';
import { hashToken, newToken } from '../src/services/tokens.ts';
import { runCli } from './cli-support.ts';

describe('pnpm cli users:* share the API’s user repository', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'collector-users-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('disabling a user ends their sessions and unused reset links, as the API does', { timeout: 420_000 }, async () => {
    const dataDir = path.join(dir, 'data');
    const added = await runCli(['users:add', '--login', 'op_77_ivanova', '--role', 'operator', '--region', '77'], dataDir);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Создан пользователь op_77_ivanova');

    // a live session and an unused reset link, as if the person had signed in and asked for a reset
    const open = () => openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    let db = await open();
    const link = newToken();
    try {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { login: 'op_77_ivanova' } });
      await db.prisma.session.create({ data: { id: newToken().hash, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
      await db.prisma.passwordResetToken.create({ data: { tokenHash: link.hash, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    } finally {
      await db.close();
    }

    const disabled = await runCli(['users:disable', '--login', 'OP_77_Ivanova'], dataDir);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain('Пользователь op_77_ivanova отключён');

    db = await open();
    try {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { login: 'op_77_ivanova' } });
      expect(user.disabled).toBe(true);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
      const token = await db.prisma.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashToken(link.token) } });
      expect(token.usedAt).not.toBeNull();
      const audit = await db.prisma.auditLog.findMany({ where: { entityId: user.id }, orderBy: { at: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.update']);
      expect(audit[1]?.after).toMatchObject({ disabled: true, via: 'cli' });
    } finally {
      await db.close();
    }
  });
});
