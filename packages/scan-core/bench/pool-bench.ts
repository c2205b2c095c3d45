/**
 * Pool and memory figures for `pnpm bench`: pages/s with the worker pool on every core and on one, their
 * ratio, and the peak RSS of the scan-check CLI on a ~250 MB archive built from the generated pages, on an AES-256
 * copy of it, and on an archive of 1,000 small bilevel pages.
 * Run alone: `node --import tsx bench/pool-bench.ts [pagesDir]`.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_ARCHIVE_BYTES } from '../src/options.ts';
import { createPageAnalyser } from '../src/pool/create-page-analyser.ts';
import type { PageAnalyser } from '../src/pool/create-page-analyser.ts';

const PAGE_FILE = /\.(jpe?g|tiff?)$/i;
/** A little under the 250 MiB limit, so the archive is accepted and read to the end. */
const RSS_ARCHIVE_TARGET_BYTES = MAX_ARCHIVE_BYTES - 8 * 1024 * 1024;
/** the launcher `pnpm scan-check` runs, with its memory settings */
const CLI = fileURLToPath(new URL('../bin/scan-check.sh', import.meta.url));
const BENCH_ROUNDS = 3;
/** Pages in the archive of small bilevel pages: enough to see memory grow with the page count, if it did. */
const BILEVEL_PAGES = 1000;
const AES_PASSWORD = 'bench-secret-1';
/** Pages per round of the pool comparison: enough for a stable rate, few enough for three rounds of each. */
const POOL_PAGES = 120;
/** Pages each worker analyses before the rounds are timed. */
const WARM_UP_PAGES_PER_WORKER = 12;

function listPages(pagesDir: string): string[] {
  return readdirSync(pagesDir)
    .filter((name) => PAGE_FILE.test(name))
    .sort()
    .map((name) => join(pagesDir, name));
}

interface Throughput {
  pagesPerSecond: number;
  /** CPU time of the whole process (all threads) over wall time: how many cores the run actually got */
  coresUsed: number;
  cpuMsPerPage: number;
}

/** Pages per second through an already warm analyser, keeping two pages per worker in flight. */
async function measureThroughput(analyser: PageAnalyser, files: readonly Uint8Array[]): Promise<Throughput> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let pages = 0;
  const inFlight = new Set<Promise<void>>();
  for (const bytes of files) {
    while (inFlight.size >= analyser.size * 2) await Promise.race(inFlight);
    const job = analyser
      .analyse(bytes.slice(), {}, false)
      .then((result) => {
        pages += result.pages.length;
      })
      .catch(() => {
        pages += 1;
      });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { pagesPerSecond: pages / seconds, coresUsed: cpuMs / 1000 / seconds, cpuMsPerPage: cpuMs / pages };
}

const oneCpu = '0';
const allCpus = `0-${availableParallelism() - 1}`;

/**
 * Restricts every thread of this process (main, workers, libuv and V8 helpers) to the given CPUs, so that the
 * single-core figure really is one core: unpinned, one worker still gets help from GC and libvips threads on the
 * other core. Threads started later inherit the mask. Without `taskset` the figures are unpinned.
 */
function pinToCpus(cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * One worker on one core against all cores on the same pages, alternating for BENCH_ROUNDS rounds and keeping each side's best:
 * the development machines are shared, and a neighbour's burst should not decide the ratio.
 */
async function comparePools(files: readonly Uint8Array[], cores: number): Promise<{ single: Throughput; all: Throughput }> {
  // Each pool's threads start under the mask they are measured with.
  pinToCpus(oneCpu);
  const single = createPageAnalyser({ size: 1 });
  pinToCpus(allCpus);
  const all = createPageAnalyser({ size: cores });
  try {
    if (files.length === 0) throw new Error('no pages');
    // Start-up is not page throughput: loading modules and wasm, and the JIT's first compilations of the hot code
    // (V8 finishes optimising the wasm and JavaScript on background threads during the first pages of each worker).
    for (const analyser of [single, all]) {
      pinToCpus(analyser === single ? oneCpu : allCpus);
      await measureThroughput(analyser, files.slice(0, WARM_UP_PAGES_PER_WORKER * analyser.size));
    }
    let bestSingle: Throughput | null = null;
    let bestAll: Throughput | null = null;
    for (let round = 0; round < BENCH_ROUNDS; round++) {
      pinToCpus(oneCpu);
      const one = await measureThroughput(single, files);
      pinToCpus(allCpus);
      const many = await measureThroughput(all, files);
      if (!bestSingle || one.pagesPerSecond > bestSingle.pagesPerSecond) bestSingle = one;
      if (!bestAll || many.pagesPerSecond > bestAll.pagesPerSecond) bestAll = many;
    }
    if (!bestSingle || !bestAll) throw new Error('no rounds');
    return { single: bestSingle, all: bestAll };
  } finally {
    pinToCpus(allCpus);
    await Promise.all([single.close(), all.close()]);
  }
}

/** Stores the generated pages over and over (as links, `zip -0` reads through them) up to ~250 MB. */
function buildLargeArchive(pagePaths: readonly string[], work: string): { path: string; bytes: number; files: number } {
  const tree = join(work, 'tree');
  mkdirSync(tree);
  const names: string[] = [];
  let total = 0;
  let full = false;
  for (let copy = 0; !full; copy++) {
    for (const page of pagePaths) {
      const size = statSync(page).size;
      if (total + size > RSS_ARCHIVE_TARGET_BYTES) {
        full = true;
        break;
      }
      const name = `batch-${String(copy).padStart(3, '0')}-${page.split('/').pop() ?? 'page'}`;
      symlinkSync(resolve(page), join(tree, name));
      names.push(name);
      total += size;
    }
    if (names.length === 0) throw new Error('pages larger than the archive limit');
  }
  const path = join(work, 'large-scans.zip');
  zipStored(tree, names, path);
  return { path, bytes: statSync(path).size, files: names.length };
}

/** Stores the named files of `tree` (links are read through) with Debian's zip, uncompressed, as scans are sent. */
function zipStored(tree: string, names: readonly string[], path: string): void {
  const list = `${path}.names`;
  writeFileSync(list, names.join('\n'));
  execFileSync('sh', ['-c', `zip -q -0 -X "${path}" -@ < "${list}"`], { cwd: tree });
}

/** The same pages in a WinZip AES-256 archive made by 7z (stored, through the links): the encrypted read path. */
function buildAesCopy(work: string): { path: string; bytes: number } | null {
  const path = join(work, 'large-scans-aes.zip');
  try {
    execFileSync('7z', ['a', '-l', '-tzip', '-mx0', '-mem=AES256', `-p${AES_PASSWORD}`, path, '.'], { cwd: join(work, 'tree'), stdio: 'ignore' });
  } catch {
    return null;
  }
  return { path, bytes: statSync(path).size };
}

/** Many small bilevel (CCITT G4) pages, as a scan centre scanning in black and white sends them: memory per page. */
function buildBilevelArchive(pagesDir: string, work: string): { path: string; bytes: number; files: number } | null {
  const manifest = JSON.parse(readFileSync(join(pagesDir, 'manifest.json'), 'utf8')) as { files: Array<{ file: string; format: string }> };
  const bilevel = manifest.files.filter((file) => file.format.includes('1-bit')).map((file) => join(pagesDir, file.file));
  if (bilevel.length === 0) return null;
  const tree = join(work, 'bilevel');
  mkdirSync(tree);
  const names: string[] = [];
  for (let index = 0; names.length < BILEVEL_PAGES; index++) {
    const page = bilevel[index % bilevel.length] as string;
    const name = `page-${String(index).padStart(5, '0')}.tif`;
    symlinkSync(resolve(page), join(tree, name));
    names.push(name);
  }
  const path = join(work, 'bilevel-scans.zip');
  zipStored(tree, names, path);
  return { path, bytes: statSync(path).size, files: names.length };
}

/** Runs scan-check on the archive and returns its peak resident memory (the whole process: all worker threads). */
function measureCliPeakRss(archive: string, password?: string): Promise<{ peakRssMiB: number; seconds: number; verdict: string; pages: number }> {
  const useTime = existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : CLI;
  const args = [...(useTime ? ['-v', CLI] : []), archive, '--json', ...(password === undefined ? [] : ['--password', password])];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledPeakKiB = 0;
    // Without GNU time, sample the process' high-water mark while it runs.
    const poll = setInterval(() => {
      if (useTime || child.pid === undefined) return;
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+)/.exec(status);
        if (match?.[1]) polledPeakKiB = Math.max(polledPeakKiB, Number(match[1]));
      } catch {
        // the process has just exited
      }
    }, 100);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const peakKiB = timed?.[1] ? Number(timed[1]) : polledPeakKiB;
      let verdict: string;
      let pages = 0;
      try {
        const report = JSON.parse(stdout) as { verdict: string; counts: { pages: number } };
        verdict = report.verdict;
        pages = report.counts.pages;
      } catch {
        verdict = `no report: ${stderr.slice(-300)}`;
      }
      resolvePromise({ peakRssMiB: Math.round(peakKiB / 1024), seconds, verdict, pages });
    });
  });
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

export async function runPoolBench(pagesDir: string): Promise<Record<string, number | string>> {
  const pagePaths = listPages(pagesDir);
  if (pagePaths.length === 0) throw new Error(`no .jpg/.tif pages in ${pagesDir}`);
  const files = pagePaths.slice(0, POOL_PAGES).map((path) => new Uint8Array(readFileSync(path)));
  const cores = availableParallelism();
  const loadBefore = loadavg()[0] ?? 0;
  const { single, all } = await comparePools(files, cores);
  const work = mkdtempSync(join(tmpdir(), 'pool-bench-'));
  try {
    const archive = buildLargeArchive(pagePaths, work);
    const cli = await measureCliPeakRss(archive.path);
    const aes = buildAesCopy(work);
    const aesCli = aes === null ? null : await measureCliPeakRss(aes.path, AES_PASSWORD);
    const bilevel = buildBilevelArchive(pagesDir, work);
    const bilevelCli = bilevel === null ? null : await measureCliPeakRss(bilevel.path);
    return {
      cores,
      singleCorePinned: pinToCpus(allCpus) ? 'taskset' : 'no (taskset missing)',
      poolPagesPerRound: files.length,
      singleCorePagesPerSecond: round2(single.pagesPerSecond),
      allCoresPagesPerSecond: round2(all.pagesPerSecond),
      allCoresOverSingleCore: round2(all.pagesPerSecond / single.pagesPerSecond),
      singleCoreCoresUsed: round2(single.coresUsed),
      allCoresCoresUsed: round2(all.coresUsed),
      singleCoreCpuMsPerPage: Math.round(single.cpuMsPerPage),
      allCoresCpuMsPerPage: Math.round(all.cpuMsPerPage),
      loadAverageBefore: round2(loadBefore),
      rssArchiveMB: Math.round(archive.bytes / 1e6),
      rssArchiveFiles: archive.files,
      scanCheckPeakRssMiB: cli.peakRssMiB,
      scanCheckSeconds: Math.round(cli.seconds * 10) / 10,
      scanCheckPagesPerSecond: Math.round((cli.pages / cli.seconds) * 100) / 100,
      scanCheckVerdict: cli.verdict,
      aesArchiveMB: aes === null ? 'no 7z' : Math.round(aes.bytes / 1e6),
      scanCheckAesPeakRssMiB: aesCli === null ? 'no 7z' : aesCli.peakRssMiB,
      scanCheckAesVerdict: aesCli === null ? 'no 7z' : aesCli.verdict,
      bilevelArchiveMB: bilevel === null ? 'no bilevel pages' : Math.round(bilevel.bytes / 1e6),
      bilevelArchivePages: bilevelCli === null ? 'no bilevel pages' : bilevelCli.pages,
      scanCheckBilevelPeakRssMiB: bilevelCli === null ? 'no bilevel pages' : bilevelCli.peakRssMiB,
      scanCheckBilevelPagesPerSecond: bilevelCli === null ? 'no bilevel pages' : Math.round((bilevelCli.pages / bilevelCli.seconds) * 100) / 100,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pagesDir = process.argv[2] ?? fileURLToPath(new URL('../fixtures/generated/pages', import.meta.url));
  const figures = await runPoolBench(pagesDir);
  console.table(figures);
}
