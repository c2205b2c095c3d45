/** Worker thread entry: analyses one page file per task with the page side's analyseImage. */
import { analyseImage } from '../page/analyse-image.ts';
import { serveWorkerTasks } from './serve-worker-tasks.ts';
import type { AnalysePageTask, AnalysePageResult } from './create-page-analyser.ts';

serveWorkerTasks<AnalysePageTask, AnalysePageResult>(async ({ bytes, options, returnBytes }) => {
  const pages = await analyseImage(bytes, options);
  const transfer: ArrayBuffer[] = [];
  for (const page of pages) {
    if (page.uprightJpeg) transfer.push(page.uprightJpeg.buffer as ArrayBuffer);
  }
  if (returnBytes) transfer.push(bytes.buffer as ArrayBuffer);
  return { output: { pages, bytes: returnBytes ? bytes : null }, transfer };
});
