import { ARCHIVE_CODE_TEXT, ArchiveCodeSchema, TUS_ENDPOINT } from '@collector/contracts';
import { DetailedError, Upload } from 'tus-js-client';

/*
 * The resumable upload (tus 1.0.0). tus-js-client keeps each unfinished upload's URL in localStorage
 * under a fingerprint of the file, so after a dropped connection (retryDelays) or a page reload
 * (the same file picked again) it asks the server how far it got and sends only the rest.
 */

export type SendArchiveOptions = {
  /** whose uploads these are: another person signing in on this browser must not resume them */
  ownerKey: string;
  /** admins only: the region the archive belongs to */
  regionCode?: string | undefined;
};

export type SendArchiveEvents = {
  onProgress: (bytesSent: number, bytesTotal: number) => void;
  /** the server created (or found) the upload: its id is the URL's last segment */
  onUploadId?: (uploadId: string) => void;
  onSuccess: (uploadId: string) => void;
  onError: (message: string) => void;
};

export type SendArchiveHandle = { abort: () => void };

/** Waits between attempts after a network drop: quick at first, then up to a minute, for about ten minutes. */
export const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000];

/** Starts every fingerprint this app stores, followed by the owner: see interrupted-uploads.ts. */
export const FINGERPRINT_PREFIX = 'collector-upload';

function fingerprintOf(file: File, ownerKey: string): string {
  return [FINGERPRINT_PREFIX, ownerKey, file.name, file.size, file.lastModified].join('|');
}

export function uploadIdFromUrl(url: string | null): string | null {
  if (url === null) return null;
  const path = new URL(url, window.location.origin).pathname;
  const last = path.split('/').filter((part) => part !== '').at(-1);
  return last === undefined ? null : decodeURIComponent(last);
}

export function sendArchive(file: File, options: SendArchiveOptions, events: SendArchiveEvents): SendArchiveHandle {
  let aborted = false;
  let announcedId: string | null = null;
  const metadata: Record<string, string> = { filename: file.name };
  if (options.regionCode !== undefined && options.regionCode !== '') metadata['regionCode'] = options.regionCode;

  const upload: Upload = new Upload(file, {
    endpoint: new URL(TUS_ENDPOINT, window.location.origin).href,
    metadata,
    retryDelays: RETRY_DELAYS_MS,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    fingerprint: (source) => Promise.resolve(fingerprintOf(source, options.ownerKey)),
    // Only trouble on the way is worth another attempt; the server's 4xx answers will not change.
    onShouldRetry: (error) => {
      const status = error.originalResponse?.getStatus() ?? 0;
      return status === 0 || status === 409 || status === 423 || status === 429 || status >= 500;
    },
    onUploadUrlAvailable: () => {
      const id = uploadIdFromUrl(upload.url);
      if (id !== null && id !== announcedId) {
        announcedId = id;
        events.onUploadId?.(id);
      }
    },
    onProgress: (sent, total) => {
      if (!aborted) events.onProgress(sent, total);
    },
    onSuccess: () => {
      const id = uploadIdFromUrl(upload.url);
      if (id === null) events.onError('Сервер не назвал загрузку. Обновите страницу и выберите файл снова.');
      else events.onSuccess(id);
    },
    onError: (error) => {
      if (!aborted) events.onError(sendErrorMessage(error));
    },
  });

  void upload
    .findPreviousUploads()
    .then((previous) => {
      if (aborted) return;
      // the newest attempt for this very file, if there is one
      const latest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
      if (latest !== undefined) upload.resumeFromPreviousUpload(latest);
      upload.start();
    })
    .catch(() => {
      if (!aborted) upload.start();
    });

  return {
    abort: () => {
      aborted = true;
      void upload.abort();
    },
  };
}

function sendErrorMessage(error: Error): string {
  const response = error instanceof DetailedError ? error.originalResponse : null;
  const status = response?.getStatus() ?? 0;
  const code = problemCode(response?.getBody());
  const archiveCode = ArchiveCodeSchema.safeParse(code);
  if (archiveCode.success) return ARCHIVE_CODE_TEXT[archiveCode.data];
  if (status === 413) return ARCHIVE_CODE_TEXT.archive_too_large;
  if (status === 401) return 'Сеанс закончился. Войдите снова и выберите этот файл ещё раз: загрузка продолжится с того места, где остановилась.';
  if (status === 403) return 'Нет прав на загрузку в этот регион.';
  if (status === 0) return 'Нет связи с сервером. Проверьте подключение и нажмите «Продолжить»: загрузка продолжится с того места, где остановилась.';
  return `Сервер не принял файл (ошибка ${status}). Нажмите «Продолжить», чтобы попробовать ещё раз.`;
}

function problemCode(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'code' in parsed ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}
