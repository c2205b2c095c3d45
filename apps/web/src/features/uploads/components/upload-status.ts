import { RESCAN_RECOMMENDED_SHARE } from '@collector/contracts';
import type { Upload } from '@collector/contracts';
import { formatCount } from '../utils/format-transfer.ts';

/** The status as a coordinator reads it in the list. */
export function uploadStatusLabel(upload: Pick<Upload, 'status' | 'progress'>): string {
  switch (upload.status) {
    case 'receiving':
      return 'приём файла';
    case 'queued':
      return 'в очереди';
    case 'processing':
      return upload.progress === null || upload.progress.total === 0
        ? 'обработка'
        : `обработка ${formatCount(upload.progress.processed)} из ${formatCount(upload.progress.total)}`;
    case 'done':
      return 'готово';
    case 'rejected':
      return 'отклонён';
    case 'failed':
      return 'ошибка';
  }
}

export type StatusTone = 'active' | 'done' | 'error';

export function uploadStatusTone(status: Upload['status']): StatusTone {
  if (status === 'done') return 'done';
  if (status === 'rejected' || status === 'failed') return 'error';
  return 'active';
}

/** Step 2, item 5 of the instruction: more than 10 % unrecognised means the scanning was poor. */
export function rescanRecommended(counts: Upload['counts']): boolean {
  return counts.total > 0 && counts.unrecognized > RESCAN_RECOMMENDED_SHARE * counts.total;
}

/** Shown for a `failed` upload: the server broke, not the archive. */
export const UPLOAD_FAILED_TEXT =
  'Архив не удалось обработать из-за ошибки на сервере. Загрузите его ещё раз; если ошибка повторится, сообщите администратору.';

export const RESCAN_WARNING_TEXT =
  'Если количество нераспознанных бланков превышает 10%, то это означает некачественное сканирование, рекомендуется пересканировать бланки и загрузить их заново.';
