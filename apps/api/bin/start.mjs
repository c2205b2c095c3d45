/**
 * `pnpm start` and `pnpm start:worker`: runs the API server (or a queue worker) as plain JavaScript bundled from the
 * TypeScript sources, not through tsx.
 *
 * Why: memory. Under tsx every thread carries the transpiler and a module-loader thread; the server runs one
 * page-analysis thread per core, so tsx alone cost the process tens of MB per thread. The bundle holds the app, the
 * workspace packages (contracts, scan-core) and scan-core's page worker; npm packages stay where pnpm put them and
 * are imported from there, resolved at build time exactly as the sources resolve them.
 *
 * - The bundle is built with esbuild (about a second) into apps/api/.bundle/<hash of the sources>/, so it is never
 *   stale; an unchanged tree starts at once. Several starts at the same time build side by side, and the first to
 *   finish wins.
 * - Source files that find files next to themselves (migrations, the web app, the OpenAPI document, the wasm of
 *   zxing) keep their own location: `import.meta.url` is replaced with the source file's URL. scan-core's page
 *   analyser and the password rule are the exceptions: they start the bundled workers that sit next to the bundle.
 * - glibc's malloc settings are those of `pnpm scan-check` (see packages/scan-core/bin/scan-check.sh): two arenas
 *   and a fixed mmap threshold hand libvips' page buffers back to the system. They are read by the C library at
 *   start-up, so they are set by the package scripts on the command line, not here.
 * - V8's heap, also set by the package scripts (V8 sizes a heap when the thread starts), for every thread:
 *   `--max-semi-space-size=2` keeps each thread's young generation at a few MB instead of letting it grow to 32 MB
 *   (the page threads free their buffers with a collection after every page anyway, and the main thread's requests
 *   make little young garbage); `--heap-growing-percent=20` collects the old generation when it has grown by a fifth
 *   instead of letting it reach about twice its live size (the main thread's heap went from 60 to 145 MB of mostly
 *   garbage over a 1,000-page upload). Together they took the server's peak on a 200-page upload from 350 to
 *   280 MiB, with no slower processing (`pnpm bench:upload` measures both).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(API_DIR, '../..');
const SOURCE_DIRS = [path.join(API_DIR, 'src'), path.join(ROOT, 'packages/contracts/src'), path.join(ROOT, 'packages/scan-core/src')];
const ENTRIES = {
  server: path.join(API_DIR, 'src/server.ts'),
  worker: path.join(API_DIR, 'src/worker.ts'),
  'analyse-page-worker': path.join(ROOT, 'packages/scan-core/src/pool/analyse-page-worker.ts'),
  'password-strength-worker': path.join(API_DIR, 'src/services/password-strength-worker.ts'),
};
/** the modules that must see the bundle's own location: they start a worker bundled beside them */
const KEEPS_BUNDLE_LOCATION = new Set([
  path.join(ROOT, 'packages/scan-core/src/pool/create-page-analyser.ts'),
  path.join(API_DIR, 'src/services/password-strength.ts'),
]);
const BUNDLES = path.join(API_DIR, '.bundle');

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

function sourcesHash() {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_DIRS.flatMap(sourceFiles),
    path.join(API_DIR, 'package.json'),
    path.join(ROOT, 'pnpm-lock.yaml'),
    fileURLToPath(import.meta.url),
  ].sort();
  for (const file of files) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** npm packages stay outside the bundle, imported by the absolute path the sources would resolve them to */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@collector/') || args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Node's own modules without the node: prefix
      if (resolved.external) return { path: args.path, external: true };
      return { path: resolved.path, external: true };
    });
  },
};

/**
 * Prisma's query compiler comes as a JavaScript module holding its wasm as one base64 string. A server keeps that
 * module for its whole life, and with it the string twice (the module's source text and its value): 9 MB of heap for
 * bytes compiled once, at the client's first query. The bundle carries the wasm as a file instead. The generated client
 * turns the module's export into bytes with `Buffer.from(wasm, 'base64')`, which takes an object's `valueOf()`
 * (Buffer.from(object)): so the export reads the file when the client compiles it, and nothing stays in memory.
 */
const prismaCompilerWasm = {
  name: 'prisma-compiler-wasm',
  setup(build) {
    build.onResolve({ filter: /^@prisma\/client\/runtime\/query_compiler_[a-z_]+(\.[a-z]+)?\.wasm-base64\.mjs$/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      // only where the client turns the export into bytes with Buffer.from (a client generated otherwise keeps the module)
      if (!/Buffer\.from\(\w+, 'base64'\)/.test(readFileSync(args.importer, 'utf8'))) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: 'prisma-compiler-wasm' };
    });
    build.onLoad({ filter: /.*/, namespace: 'prisma-compiler-wasm' }, (args) => {
      const base64 = /^const wasm = "([A-Za-z0-9+/=]+)";/.exec(readFileSync(args.path, 'utf8'))?.[1];
      // a module of another shape is bundled as it is
      if (base64 === undefined) return { contents: readFileSync(args.path, 'utf8'), loader: 'js' };
      const file = `${path.basename(args.path, '.wasm-base64.mjs')}.wasm`;
      writeFileSync(path.join(build.initialOptions.outdir, file), Buffer.from(base64, 'base64'));
      return {
        contents: [
          `import { readFileSync } from 'node:fs';`,
          `export const wasm = { valueOf: () => readFileSync(new URL(${JSON.stringify(`./${file}`)}, import.meta.url)) };`,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (KEEPS_BUNDLE_LOCATION.has(args.path) || !source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

async function ensureBundle() {
  const bundle = path.join(BUNDLES, sourcesHash());
  try {
    if (statSync(path.join(bundle, 'server.js')).isFile()) {
      // a bundle in use stays: see removeUnused
      const now = new Date();
      utimesSync(bundle, now, now);
      return bundle;
    }
  } catch {
    // not built yet
  }
  mkdirSync(BUNDLES, { recursive: true });
  const building = mkdtempSync(path.join(BUNDLES, 'building-'));
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: ENTRIES,
      outdir: building,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      splitting: true,
      chunkNames: 'chunk-[hash]',
      sourcemap: 'linked',
      logLevel: 'warning',
      plugins: [prismaCompilerWasm, externalPackages, sourceLocation],
    });
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    console.error('collector: could not build the server from apps/api/src');
    throw error;
  } finally {
    await esbuild.stop?.();
  }
  try {
    renameSync(building, bundle);
  } catch {
    // another start finished the same build first: its copy is as good as ours
    rmSync(building, { recursive: true, force: true });
  }
  removeUnused(bundle);
  return bundle;
}

/**
 * Bundles of older sources go once nothing has started from them for a week. A running server loads parts of its
 * bundle later (the page worker with its first upload, Redis support on demand), so a bundle must not vanish under a
 * process that still runs; every start marks its bundle as used.
 */
function removeUnused(current) {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const name of readdirSync(BUNDLES)) {
    const full = path.join(BUNDLES, name);
    if (full === current) continue;
    try {
      if (statSync(full).mtimeMs < weekAgo) rmSync(full, { recursive: true, force: true });
    } catch {
      // removed by another start meanwhile
    }
  }
}

const entry = process.argv[2];
if (entry !== 'server' && entry !== 'worker' && entry !== 'build') {
  console.error('usage: node apps/api/bin/start.mjs server|worker|build');
  process.exit(64);
}
const bundle = await ensureBundle();
if (entry === 'build') console.log(bundle);
else await import(pathToFileURL(path.join(bundle, `${entry}.js`)).href);
