/** Worker thread entry: analyses one page file per task with the page side's analyseImage. */
import sharp from 'sharp';
import { analyseImage } from '../page/analyse-image.ts';
import { serveWorkerTasks } from './serve-worker-tasks.ts';
import type { AnalysePageTask, AnalysePageResult } from './create-page-analyser.ts';

// The pool runs a page per core; libvips' own threads on top of that only contend for the same cores (its thread
// count is per process, so this holds for every thread of it).
sharp.concurrency(1);

serveWorkerTasks<AnalysePageTask, AnalysePageResult>(async ({ bytes, options, returnBytes }) => {
  const pages = await analyseImage(bytes, options);
  const transfer: ArrayBuffer[] = [];
  for (const page of pages) {
    if (page.uprightJpeg) transfer.push(page.uprightJpeg.buffer as ArrayBuffer);
  }
  if (returnBytes) transfer.push(bytes.buffer as ArrayBuffer);
  return { output: { pages, bytes: returnBytes ? bytes : null }, transfer };
});
