/**
 * `pnpm bench`: generates ≥ 300 synthetic pages when missing, runs the page benchmark, then the worker-pool
 * benchmark if `bench/pool-bench.ts` exists (it exports runPoolBench(pagesDir)), prints one table and writes JSON
 * to bench-results/. Options: --pages DIR, --count N, --seed S, --no-naive, --no-pool.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generatePages } from '../fixtures/generator/generate-pages.ts';
import { runPageBench } from './page-bench.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: join(root, 'fixtures/generated/pages') },
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'no-naive': { type: 'boolean', default: false },
    'no-pool': { type: 'boolean', default: false },
  },
});
const pagesDir = values.pages;
const count = Number(values.count);

async function ensurePages(): Promise<void> {
  const manifestPath = join(pagesDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: unknown[]; seed?: number };
    if (manifest.files.length >= count && (manifest.seed === undefined || manifest.seed === Number(values.seed))) return;
  }
  process.stderr.write(`generating ${count} pages into ${pagesDir}\n`);
  await generatePages(pagesDir, count, Number(values.seed), (done) => process.stderr.write(`\r  ${done}/${count}`));
  process.stderr.write('\n');
}

await ensurePages();
const started = Date.now();
const page = await runPageBench(pagesDir, {
  naive: !values['no-naive'],
  onProgress: (done, total) => process.stderr.write(`\r  pages ${done}/${total}`),
});
process.stderr.write('\n');
const rows: Record<string, number | string> = { ...page.rows };
for (const [step, n] of Object.entries(page.ladder).sort((x, y) => y[1] - x[1])) rows[`ladder step: ${step}`] = n;

const poolBench = join(root, 'bench/pool-bench.ts');
if (!values['no-pool'] && existsSync(poolBench)) {
  const mod = (await import(pathToFileURL(poolBench).href)) as { runPoolBench?: (dir: string) => Promise<Record<string, number | string>> };
  if (typeof mod.runPoolBench === 'function') Object.assign(rows, await mod.runPoolBench(pagesDir));
}

const width = Math.max(...Object.keys(rows).map((k) => k.length));
console.log(`\nscan-core bench — ${cpus().length} cores, ${new Date().toISOString()}`);
for (const [k, v] of Object.entries(rows)) console.log(`${k.padEnd(width)}  ${String(v)}`);
if (page.failures.length > 0) {
  console.log(`\n${page.failures.length} page notes:`);
  for (const f of page.failures.slice(0, 40)) console.log(`  ${f}`);
}
const outDir = join(root, 'bench-results');
await mkdir(outDir, { recursive: true });
const report = { date: new Date().toISOString(), cores: cpus().length, seconds: (Date.now() - started) / 1000, rows, ladder: page.ladder, failures: page.failures };
const stamp = report.date.replace(/[:.]/g, '-');
await writeFile(join(outDir, `bench-${stamp}.json`), JSON.stringify(report, null, 2));
await writeFile(join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
console.log(`\nwritten ${join('bench-results', `bench-${stamp}.json`)}`);
