/** Worker thread entry: analyses one page file per task with the page side's analyseImage, renders a page upright, or decides a batch or a part of one. */
import { readFile } from 'node:fs/promises';
import { workerData } from 'node:worker_threads';
import { useCompiledZxing } from '../barcode/zxing-reader.ts';
import { ScanError } from '../errors.ts';
import { analyseImage, renderUprightPage } from '../page/analyse-image.ts';
import { decideBatch, runBatchPart } from '../scan/decide-batch.ts';
import { serveWorkerTasks } from './serve-worker-tasks.ts';
import type { PageWorkerData, PageWorkerResult, PageWorkerTask } from './create-page-analyser.ts';

useCompiledZxing((workerData as Partial<PageWorkerData> | null)?.zxing);

serveWorkerTasks<PageWorkerTask, PageWorkerResult>(async (task) => {
  if (task.kind === 'batch') return { output: { kind: 'batch', pages: decideBatch(task) } };
  if (task.kind === 'batch-part') return { output: { kind: 'batch-part', result: runBatchPart(task, task.part) } };
  if (task.kind === 'render') {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(task.path);
    } catch (error) {
      throw new ScanError('unreadable_image', `the page's file cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const jpeg = await renderUprightPage(bytes, task.page, task.rotation, task.skewDegrees, task.size);
    return { output: { kind: 'render', jpeg }, transfer: [jpeg.buffer as ArrayBuffer] };
  }
  const { bytes, options, returnBytes } = task;
  const pages = await analyseImage(bytes, options);
  const transfer: ArrayBuffer[] = [];
  for (const page of pages) {
    if (page.uprightJpeg) transfer.push(page.uprightJpeg.buffer as ArrayBuffer);
    if (page.uprightThumbnail) transfer.push(page.uprightThumbnail.buffer as ArrayBuffer);
  }
  if (returnBytes) transfer.push(bytes.buffer as ArrayBuffer);
  return { output: { kind: 'page', pages, bytes: returnBytes ? bytes : null }, transfer };
});
