import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_SCENARIOS, ensureArchiveFixtures } from '../../fixtures/archives/make-archives.ts';
import { isScanError } from '../errors.ts';
import { openArchive } from './open-archive.ts';
import { readArchiveEntries } from './read-archive-entries.ts';
import { spoolUpload } from './spool-upload.ts';

let dir = '';

beforeAll(async () => {
  dir = await ensureArchiveFixtures();
}, 180_000);

interface Observed {
  code: string | null;
  entries: Record<string, string>;
  pages: Record<string, Uint8Array>;
}

async function observe(file: string, password?: string): Promise<Observed> {
  const observed: Observed = { code: null, entries: {}, pages: {} };
  try {
    const archive = await openArchive(join(dir, file), { password });
    try {
      for await (const outcome of readArchiveEntries(archive, { password })) {
        observed.entries[outcome.path] = outcome.kind === 'problem' ? outcome.code : outcome.kind;
        if (outcome.kind === 'page') observed.pages[outcome.path] = outcome.bytes;
      }
    } finally {
      await archive.close();
    }
  } catch (error) {
    if (!isScanError(error)) throw error;
    observed.code = error.code;
  }
  return observed;
}

describe('archive fixtures made by real tools', () => {
  for (const scenario of ARCHIVE_SCENARIOS) {
    const label = `${scenario.file}${scenario.password ? ` with password "${scenario.password}"` : ''} → ${scenario.archiveCode ?? 'opens'}`;
    it(label, async () => {
      const observed = await observe(scenario.file, scenario.password);
      expect(observed.code).toBe(scenario.archiveCode);
      if (scenario.entries) expect(observed.entries).toEqual(scenario.entries);
    });
  }

  it("lets go of each entry's zip.js handle once the entry is read, so a large archive's directory is not held to the end", async () => {
    const archive = await openArchive(join(dir, 'aes256-password-is-secret.zip'), { password: 'secret' });
    try {
      const files = archive.entries.filter((entry) => entry.pathClass.kind === 'file');
      expect(files.length).toBeGreaterThan(1);
      expect(files.every((entry) => entry.source !== null && entry.readRaw !== null)).toBe(true);
      const handlesWhenRead: boolean[] = [];
      for await (const outcome of readArchiveEntries(archive, { password: 'secret' })) {
        const entry = archive.entries[outcome.index];
        if (entry?.pathClass.kind !== 'file') continue;
        // the file just read is already let go; the next one is still whole
        handlesWhenRead.push(entry.source === null && entry.readRaw === null);
        const next = archive.entries.slice(outcome.index + 1).find((candidate) => candidate.pathClass.kind === 'file');
        if (next !== undefined) expect(next.source).not.toBeNull();
      }
      expect(handlesWhenRead).toEqual(files.map(() => true));
    } finally {
      await archive.close();
    }
  });

  it("keeps no zip.js handle on a plain entry, and finds it again when the entry's local header disagrees", async () => {
    const plain = await openArchive(join(dir, 'good-pages-stored.zip'));
    try {
      const files = plain.entries.filter((entry) => entry.pathClass.kind === 'file');
      expect(files.length).toBeGreaterThan(1);
      expect(files.every((entry) => entry.source === null && entry.reopen !== null && entry.readRaw !== null)).toBe(true);
    } finally {
      await plain.close();
    }
    // zip.js, handed the entry again, gives its own verdict on each (not "no data")
    const details: Record<string, string> = {};
    for (const file of ['local-header-damaged.zip', 'local-header-disagrees.zip']) {
      const archive = await openArchive(join(dir, file));
      try {
        for await (const outcome of readArchiveEntries(archive)) {
          if (outcome.kind === 'problem') details[`${file}:${outcome.path}`] = outcome.detail;
        }
      } finally {
        await archive.close();
      }
    }
    expect(details).toEqual({ 'local-header-damaged.zip:page-02.tif': 'Local file header not found', 'local-header-disagrees.zip:page-02.tif': 'Ambiguous archive' });
  });

  it('decrypts ZipCrypto and AES-128/192/256 to the very bytes that were packed', async () => {
    const plain = await observe('good-pages-stored.zip');
    for (const file of ['zipcrypto-password-is-secret.zip', 'aes128-password-is-secret.zip', 'aes192-password-is-secret.zip', 'aes256-password-is-secret.zip']) {
      const decrypted = await observe(file, 'secret');
      for (const name of ['page-01.jpg', 'page-02.tif']) {
        const expected = plain.pages[name];
        expect(expected?.length).toBeGreaterThan(0);
        // Buffer.equals, not toEqual: a deep element-by-element diff of 150 kB takes seconds
        expect(Buffer.from(decrypted.pages[name] ?? []).equals(Buffer.from(expected ?? []))).toBe(true);
      }
    }
  }, 30_000);

  it('stops a stream past the limit while receiving it, and leaves no file behind', async () => {
    let delivered = 0;
    const endless = Readable.from(
      (function* () {
        const chunk = new Uint8Array(256 * 1024);
        for (let index = 0; index < 400; index++) {
          delivered += chunk.length;
          yield chunk;
        }
      })(),
    );
    const tmp = mkdtempSync(join(tmpdir(), 'spool-'));
    const failure = await spoolUpload(endless, { maxBytes: 4 * 1024 * 1024, dir: tmp }).catch((error: unknown) => error);
    expect(isScanError(failure) && failure.code).toBe('archive_too_large');
    // 100 MiB were on offer; reading stopped right after the limit
    expect(delivered).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(readdirSync(tmp)).toEqual([]);
    rmSync(tmp, { recursive: true });
  });

  it('spools a normal upload to a private temporary file that opens as the same archive', async () => {
    const source = join(dir, 'good-pages-deflated.zip');
    const spooled = await spoolUpload(createReadStream(source));
    try {
      expect(spooled.path).not.toContain('page-');
      expect(readFileSync(spooled.path)).toEqual(readFileSync(source));
      const archive = await openArchive(spooled.path, { fileName: 'good-pages-deflated.zip' });
      expect(archive.fileName).toBe('good-pages-deflated.zip');
      expect(archive.entries.map((entry) => entry.path)).toEqual(['page-01.jpg', 'page-02.tif', 'scans/page-03.jpg']);
      await archive.close();
    } finally {
      await spooled.remove();
    }
  });
});
