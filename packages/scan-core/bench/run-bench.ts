/**
 * `pnpm bench`: accuracy on the independent form designs (fixtures/forms — per design and in total, the held-out
 * design on its own row) and the end-to-end CPU ratio of scan-check on ≥ 130 grey 200 dpi pages against their
 * single-core decode floor, with a per-stage profile. Prints one report and writes JSON to bench-results/.
 *
 * Options: --per-design N (form set size, default 40), --seed S, --no-speed, --legacy (also the original
 * generator's 300 pages, the tuned set: the page benchmark with the naive zxing baseline), --memory (also the worker
 * pool rates and scan-check's peak memory on 250 MB plain and AES-256 archives and 1,000 bilevel pages).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateFormSet } from '../fixtures/forms/generate-form-set.ts';
import { generatePages } from '../fixtures/generator/generate-pages.ts';
import { analyseFormSet, formatFormTable, judgeFormSet } from './form-bench.ts';
import { runPageBench } from './page-bench.ts';
import { formatSpeed, runSpeedBench } from './speed-bench.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'per-design': { type: 'string', default: '40' },
    seed: { type: 'string', default: '7' },
    'no-speed': { type: 'boolean', default: false },
    legacy: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    pages: { type: 'string', default: join(root, 'fixtures/generated/pages') },
    count: { type: 'string', default: '300' },
  },
});
const status = (message: string): boolean => process.stderr.write(`\r  ${message}          `);
const started = Date.now();
const report: Record<string, unknown> = { date: new Date().toISOString(), cores: cpus().length };

// 1. accuracy on the form designs, one mixed batch, and batches of one or two pages with a stored template
const perDesign = Number(values['per-design']);
const seed = Number(values.seed);
const formsDir = join(root, `fixtures/generated/forms-s${seed}-${perDesign}`);
const set = await generateFormSet(formsDir, { seed, perDesign, onProgress: (done, total) => status(`generating form sheets ${done}/${total}`) });
const analyses = await analyseFormSet(formsDir, set.sheets, (done, total) => status(`analysing form sheets ${done}/${total}`));
const forms = judgeFormSet(set.sheets, analyses);
process.stderr.write('\n');
report['forms'] = { seed, perDesign, byDesign: forms.byDesign, tuned: forms.tuned, all: forms.all };

// 2. end to end: scan-check on ≥ 130 grey 200 dpi pages against the decode floor
const speed = values['no-speed'] ? null : await runSpeedBench(join(root, 'fixtures/generated/forms-grey-s11'), undefined, status);
process.stderr.write('\n');
if (speed !== null) report['speed'] = speed;

// 3. optional: the original generator's pages (tuned on), and memory / pool figures
const extra: Record<string, number | string> = {};
if (values.legacy || values.memory) {
  const manifestPath = join(values.pages, 'manifest.json');
  const count = Number(values.count);
  let fresh = false;
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: unknown[]; seed?: number };
    fresh = manifest.files.length >= count && (manifest.seed === undefined || manifest.seed === 1);
  }
  if (!fresh) await generatePages(values.pages, count, 1, (done) => status(`generating ${done}/${count} legacy pages`));
}
if (values.legacy) {
  const page = await runPageBench(values.pages, { onProgress: (done, total) => status(`legacy pages ${done}/${total}`) });
  process.stderr.write('\n');
  for (const [key, value] of Object.entries(page.rows)) extra[`legacy generator (tuned on): ${key}`] = value;
}
if (values.memory) {
  const mod = (await import(pathToFileURL(join(root, 'bench/pool-bench.ts')).href)) as { runPoolBench: (dir: string) => Promise<Record<string, number | string>> };
  Object.assign(extra, await mod.runPoolBench(values.pages));
}
if (Object.keys(extra).length > 0) report['extra'] = extra;

console.log(`\nscan-core bench — ${cpus().length} cores, ${report['date'] as string}`);
console.log(`\nForm designs (fixtures/forms, seed ${seed}, ${perDesign} sheets per design; grey, colour and 1-bit; JPEG and TIFF-LZW; one mixed batch).`);
console.log(`The held-out design is never tuned on, only measured; "total, tuned designs" leaves it out.\n`);
console.log(formatFormTable(forms));
if (speed !== null) console.log(`\n${formatSpeed(speed)}`);
if (Object.keys(extra).length > 0) {
  const width = Math.max(...Object.keys(extra).map((k) => k.length));
  console.log('');
  for (const [k, v] of Object.entries(extra)) console.log(`${k.padEnd(width)}  ${String(v)}`);
}
report['seconds'] = (Date.now() - started) / 1000;
const outDir = join(root, 'bench-results');
await mkdir(outDir, { recursive: true });
const stamp = (report['date'] as string).replace(/[:.]/g, '-');
await writeFile(join(outDir, `bench-${stamp}.json`), JSON.stringify(report, null, 2));
await writeFile(join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
console.log(`\nwritten ${join('bench-results', `bench-${stamp}.json`)}`);
