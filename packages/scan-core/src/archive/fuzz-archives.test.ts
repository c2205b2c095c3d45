/**
 * Thousands of random mutations of valid archives (plain, encrypted, CP866, multi-page) must each end as an
 * archive-level verdict or a list of outcomes: never another exception, never a hang, never unbounded memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArchiveFixtures } from '../../fixtures/archives/make-archives.ts';
import { ARCHIVE_CODES, ENTRY_CODES, isScanError } from '../errors.ts';
import { openArchive } from './open-archive.ts';
import { readArchiveEntries } from './read-archive-entries.ts';

const SEEDS: readonly { file: string; password?: string }[] = [
  { file: 'good-pages-deflated.zip' },
  { file: 'good-pages-stored.zip' },
  { file: 'good-multipage-tiff.zip' },
  { file: 'pages-with-system-junk.zip' },
  { file: 'names-cp866-windows-explorer.zip' },
  { file: 'zipcrypto-password-is-secret.zip', password: 'secret' },
  { file: 'aes256-password-is-secret.zip', password: 'secret' },
];
/** A fixed count, not a time budget: a busy machine runs the same mutants, only slower (speed belongs to benches). */
const MUTANTS = 1000;
const PER_ARCHIVE_LIMIT_MS = 5_000;

/** xorshift32: the same mutants on every run, so a failure can be replayed from its index. */
function createRandom(seed: number): { next(): number; int(max: number): number } {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  return { next, int: (max: number) => Math.floor(next() * max) };
}

type Random = ReturnType<typeof createRandom>;

const SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x01\x02', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

function signatureOffsets(data: Buffer): number[] {
  const offsets: number[] = [];
  for (const signature of SIGNATURES) {
    for (let index = data.indexOf(signature); index >= 0; index = data.indexOf(signature, index + 1)) offsets.push(index);
  }
  return offsets;
}

/** One mutation: bit flips, random overwrites, truncation, splices, or extreme values in header fields. */
function mutate(source: Buffer, random: Random): Buffer {
  const data = Buffer.from(source);
  const headers = signatureOffsets(data);
  switch (random.int(6)) {
    case 0:
      for (let flips = 1 + random.int(8); flips > 0; flips--) {
        const at = random.int(data.length);
        data.writeUInt8(data.readUInt8(at) ^ (1 << random.int(8)), at);
      }
      return data;
    case 1: {
      const at = random.int(data.length);
      for (let index = at; index < Math.min(data.length, at + 1 + random.int(64)); index++) data.writeUInt8(random.int(256), index);
      return data;
    }
    case 2:
      return data.subarray(0, random.int(data.length));
    case 3: {
      const from = random.int(data.length);
      const slice = data.subarray(from, from + random.int(512));
      const at = random.int(data.length);
      return Buffer.concat([data.subarray(0, at), slice, data.subarray(at)]);
    }
    case 4: {
      // A header field (sizes, counts, offsets, name lengths, flags, method) set to an extreme.
      const base = headers[random.int(headers.length)] ?? 0;
      const at = Math.min(data.length - 4, base + 4 + random.int(44));
      const extremes = [0, 0xffffffff, 0x7fffffff, 0xffff, 1, random.int(0x100000000)];
      data.writeUInt32LE((extremes[random.int(extremes.length)] ?? 0) >>> 0, Math.max(0, at));
      return data;
    }
    default: {
      const base = headers[random.int(headers.length)] ?? 0;
      const at = Math.min(data.length - 2, base + 4 + random.int(44));
      data.writeUInt16LE(random.int(0x10000), Math.max(0, at));
      return data;
    }
  }
}

async function judge(path: string, password: string | undefined, tally: Map<string, number>): Promise<void> {
  const count = (key: string): void => {
    tally.set(key, (tally.get(key) ?? 0) + 1);
  };
  try {
    const archive = await openArchive(path, { password });
    try {
      for await (const outcome of readArchiveEntries(archive, { password })) {
        if (outcome.kind === 'problem') expect(ENTRY_CODES).toContain(outcome.code);
        else expect(['page', 'ignored']).toContain(outcome.kind);
        count(outcome.kind === 'problem' ? outcome.code : outcome.kind);
      }
    } finally {
      await archive.close();
    }
  } catch (error) {
    // The only acceptable failure is a named archive-level verdict.
    if (!isScanError(error)) throw error;
    expect(ARCHIVE_CODES).toContain(error.code);
    count(error.code);
  }
}

function withinLimit<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} took longer than ${PER_ARCHIVE_LIMIT_MS} ms`)), PER_ARCHIVE_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe('fuzzing archives', () => {
  let dir = '';
  let work = '';
  beforeAll(async () => {
    dir = await ensureArchiveFixtures();
    work = mkdtempSync(join(tmpdir(), 'scan-core-fuzz-'));
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(`survives ${MUTANTS} mutated archives with named verdicts only, bounded time and memory`, async () => {
    const seeds = SEEDS.map((seed) => ({ ...seed, bytes: readFileSync(join(dir, seed.file)) }));
    const random = createRandom(20261127);
    const started = Date.now();
    const path = join(work, 'mutant.zip');
    let done = 0;
    let heapAfterWarmup = 0;
    let peakRss = 0;
    const tally = new Map<string, number>();
    for (; done < MUTANTS; done++) {
      const seed = seeds[done % seeds.length];
      if (!seed) break;
      const mutant = mutate(seed.bytes, random);
      writeFileSync(path, mutant);
      try {
        await withinLimit(judge(path, seed.password, tally), `mutant ${done} of ${seed.file}`);
      } catch (error) {
        writeFileSync(join(tmpdir(), `scan-core-fuzz-failure-${done}.zip`), mutant);
        throw error;
      }
      if (done === 200) heapAfterWarmup = process.memoryUsage().heapUsed;
      if (done % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    console.info(`${done} mutants in ${Date.now() - started} ms:`, Object.fromEntries([...tally].sort()));
    expect(done).toBe(MUTANTS);
    // The mutants reach past the archive checks into entry reading, not only into "corrupt_archive".
    expect(tally.get('page') ?? 0).toBeGreaterThan(done / 4);
    expect(tally.get('corrupt_entry') ?? 0).toBeGreaterThan(10);
    // Memory does not grow with the number of archives read: no buffer or handle is kept per archive.
    expect(process.memoryUsage().heapUsed - heapAfterWarmup).toBeLessThan(64 * 1024 * 1024);
    expect(peakRss).toBeLessThan(1024 * 1024 * 1024);
  }, 300_000);
});
