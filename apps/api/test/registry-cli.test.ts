import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.ts';
import { runCli } from './cli-support.ts';
import { blank, cp1251, csv } from './registry-support.ts';

const HEADER = 'event_code;event_title;event_date;region_code;school_code;kit_number;position;blank_number';

describe('pnpm cli registry:import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'collector-registry-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('imports a file, the same way as the API, and refuses a bad one with the row report and exit code 2', { timeout: 420_000 }, async () => {
    const good = path.join(dir, 'реестр.csv');
    await writeFile(
      good,
      cp1251(
        csv(
          [
            `VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;77;sch771933;100001;1;${blank(1)}`,
            `VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;77;sch771933;100001;2;${blank(2)}`,
            `VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;77;sch771933;100002;1;${blank(3)}`,
          ],
          HEADER,
        ),
      ),
    );
    const dataDir = path.join(dir, 'data');
    const first = await runCli(['registry:import', good], dataDir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Реестр загружен из реестр.csv: строк 3 (Windows-1251, разделитель «;»)');
    expect(first.stdout).toMatch(/Бланки\s+новых:\s+3\s+без изменений:\s+0/);

    const again = await runCli(['registry:import', good], dataDir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Бланки\s+новых:\s+0\s+без изменений:\s+3/);

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, csv([`VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;77;sch771933;100003;1;123`, `VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;50;sch771933;100003;2;${blank(4)}`], HEADER));
    const refused = await runCli(['registry:import', bad], dataDir);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        'Строка 2, столбец blank_number, значение "123": номер бланка — 17 цифр',
        'Строка 3, столбец region_code, значение "50": точка проведения sch771933 уже есть в реестре в регионе 77',
      ]),
    );

    const missing = await runCli(['registry:import', path.join(dir, 'nope.csv')], dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('не найден');

    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      expect(await db.prisma.blank.count()).toBe(3);
      expect(await db.prisma.kit.count()).toBe(2);
      const audit = await db.prisma.auditLog.findMany({ where: { action: 'registry.import' } });
      expect(audit).toHaveLength(2);
      expect(audit[0]?.after).toMatchObject({ via: 'cli', fileName: 'реестр.csv' });
    } finally {
      await db.close();
    }
  });
});
