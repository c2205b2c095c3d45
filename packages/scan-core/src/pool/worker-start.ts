/**
 * How to start a worker thread on a module of ours, for scan-core's pools and for the API's own workers (exported as
 * `@collector/scan-core/worker-start`, without the rest of the package). Compiled JavaScript starts directly. A
 * TypeScript source (the CLI and the API run from source under tsx; vitest too) needs tsx inside the worker, and
 * Node 20 does not apply `--import tsx` from a worker's execArgv to the worker's own entry module; so a tiny
 * bootstrap registers tsx's ESM hooks in the worker, then imports the module.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function workerStart(workerUrl: URL): { entry: URL | string; eval: boolean } {
  if (!workerUrl.pathname.endsWith('.ts')) return { entry: workerUrl, eval: false };
  // The CommonJS resolution names tsx's api/index.cjs; its ESM twin sits beside it.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return { entry: bootstrap, eval: true };
}
