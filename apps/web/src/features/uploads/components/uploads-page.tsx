import { MAX_ARCHIVE_BYTES } from '@collector/contracts';
import type { User } from '@collector/contracts';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useRegions } from '../api/get-regions.ts';
import { useUploads } from '../api/get-uploads.ts';
import type { UploadQueueDeps } from '../hooks/upload-queue.ts';
import { useInterruptedUploads } from '../hooks/use-interrupted-uploads.ts';
import { useUploadQueue } from '../hooks/use-upload-queue.ts';
import { formatBytes, formatPercent, pluralRu } from '../utils/format-transfer.ts';
import { planFolderArchives } from '../utils/plan-folder-archives.ts';
import { QueueAnnouncer } from './queue-announcer.tsx';
import { QueueItemRow } from './queue-item-row.tsx';
import { UploadPicker } from './upload-picker.tsx';
import type { PickedFiles } from './upload-picker.tsx';
import { UploadsList } from './uploads-list.tsx';
import './uploads.css';

type UploadsPageProps = {
  user: User;
  /** where a dropped folder is split; only tests lower it (see folderArchiveLimit) */
  folderArchiveLimitBytes?: number;
  /** tests replace the network and ZIP work of the queue */
  queueDeps?: Partial<UploadQueueDeps>;
};

/**
 * The browser journey runs against the production build; it sets this before the page loads to see a
 * folder split into two archives without generating 250 MB of scans. It can only lower the limit.
 */
function folderArchiveLimit(): number {
  const hook = (window as { __collectorFolderArchiveLimit?: unknown }).__collectorFolderArchiveLimit;
  return typeof hook === 'number' && hook > 0 && hook < MAX_ARCHIVE_BYTES ? hook : MAX_ARCHIVE_BYTES;
}

export function UploadsPage({ user, folderArchiveLimitBytes, queueDeps }: UploadsPageProps) {
  useDocumentTitle('Загрузка результатов');
  const isAdmin = user.role === 'admin';
  // Operators correct scans; archives are sent by the coordinator or an admin (the server says the same).
  const canSend = user.role !== 'operator';
  const uploads = useUploads();
  const regions = useRegions(isAdmin);
  const { queue, items } = useUploadQueue(user.id, queueDeps);
  const { interrupted, forget } = useInterruptedUploads(user.id, uploads.data, items);
  const [regionCode, setRegionCode] = useState('');
  const [regionError, setRegionError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const regionSelect = useRef<HTMLSelectElement>(null);
  const regionInput = useRef<HTMLInputElement>(null);

  // A file dropped beside the panel would make the browser leave the page to show it.
  useEffect(() => {
    const keep = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files') === true) event.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  const onPick = ({ files, folders, password }: PickedFiles) => {
    setNotice(null);
    if (isAdmin && !/^\d{2,3}$/.test(regionCode)) {
      setRegionError('Выберите регион, в который загружаются сканы');
      (regionSelect.current ?? regionInput.current)?.focus();
      return;
    }
    setRegionError(undefined);
    const options = { password, regionCode: isAdmin ? regionCode : undefined };
    if (files.length > 0) queue.addFiles(files, options);

    const notes: string[] = [];
    for (const folder of folders) {
      const plan = planFolderArchives(folder, folderArchiveLimitBytes ?? folderArchiveLimit());
      if (plan.tooLarge.length > 0) {
        notes.push(
          `В папке «${folder.name}» есть файлы больше 250 МБ, их отправить нельзя: ${plan.tooLarge.map((file) => `«${file.path}» (${formatBytes(file.file.size)})`).join(', ')}.`,
        );
      }
      if (plan.archives.length === 0) {
        notes.push(`В папке «${folder.name}» нет файлов для отправки.`);
        continue;
      }
      queue.addFolderArchives(folder.name, plan.archives, options);
      if (plan.archives.length > 1) {
        notes.push(`Папка «${folder.name}» не помещается в один архив: браузер разделил её по аудиториям на ${pluralRu(plan.archives.length, 'архив', 'архива', 'архивов')} — они ниже, в очереди.`);
      }
    }
    if (notes.length > 0) setNotice(notes.join(' '));
  };

  const regionChoice = isAdmin
    ? {
        regions: regions.isError ? null : (regions.data ?? []),
        value: regionCode,
        onChange: (code: string) => {
          setRegionCode(code);
          setRegionError(undefined);
        },
        error: regionError,
        selectRef: regionSelect,
        inputRef: regionInput,
      }
    : null;
  const list = uploads.data ?? [];
  const handledHere = new Set(
    items.filter((item) => item.state === 'sending' || item.state === 'submitting').flatMap((item) => (item.uploadId === null ? [] : [item.uploadId])),
  );
  const hasQueue = items.length > 0 || interrupted.length > 0;
  const finished = items.some((item) => item.state === 'sent' || item.state === 'blocked');

  return (
    <div className="page uploads-page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Загрузка результатов</h1>
          <p className="page__lead">
            Для загрузки каждого архива воспользуйтесь кнопкой «Выберите файл размером до 250 МБ» и, если архив защищён
            паролем, введите его в соседнее окошко. В списке загрузок появятся загруженные вами архивы — убедитесь, что для
            загрузки отобразилось количество новых сканов.
          </p>
        </div>
      </div>

      {canSend ? (
        <UploadPicker onPick={onPick} regionChoice={regionChoice} />
      ) : (
        <Alert tone="info">Загружать архивы может региональный координатор или администратор. Здесь видны загрузки вашего региона.</Alert>
      )}
      {notice === null ? null : <Alert tone="info">{notice}</Alert>}

      <QueueAnnouncer items={items} />
      {hasQueue ? (
        <section className="queue" aria-labelledby="uploads-queue-title">
          <div className="section-header">
            <h2 id="uploads-queue-title" className="section-header__title">
              Отправка файлов
            </h2>
            {finished ? (
              <Button size="small" variant="quiet" onClick={() => queue.removeFinished()}>
                Убрать отправленные
              </Button>
            ) : null}
          </div>
          <ul className="queue__list">
            {interrupted.map((entry) => (
              <li key={entry.storageKey} className="queue-item queue-item--interrupted">
                <div className="queue-item__head">
                  <div className="queue-item__titles">
                    <p className="queue-item__name">{entry.fileName}</p>
                    <p className="queue-item__meta">
                      {entry.sizeBytes === null ? null : formatBytes(entry.sizeBytes)}
                      {entry.sizeBytes !== null && entry.receivedBytes !== null
                        ? ` · получено ${formatPercent(entry.receivedBytes, entry.sizeBytes)}`
                        : null}
                    </p>
                  </div>
                  <Button size="small" variant="quiet" onClick={() => forget(entry.storageKey)}>
                    Не продолжать<span className="visually-hidden"> {entry.fileName}</span>
                  </Button>
                </div>
                <p className="queue-item__state">Загрузка прервана — выберите этот файл снова, чтобы продолжить</p>
              </li>
            ))}
            {items.map((item) => (
              <QueueItemRow
                key={item.key}
                item={item}
                onRetry={(key) => queue.retry(key)}
                onRetryWithPassword={(key, password) => queue.retryWithPassword(key, password)}
                onRemove={(key) => queue.remove(key)}
              />
            ))}
          </ul>
        </section>
      ) : null}

      <section className="uploads" aria-labelledby="uploads-list-title">
        <div className="section-header">
          <h2 id="uploads-list-title" className="section-header__title">
            Список загрузок
          </h2>
        </div>
        {uploads.isPending ? (
          <p className="muted" role="status">
            Загружаем список загрузок…
          </p>
        ) : null}
        {uploads.isError ? <Alert tone="error">{errorMessage(uploads.error)}</Alert> : null}
        {uploads.isSuccess ? <UploadsList uploads={list} showRegion={isAdmin} handledHere={handledHere} /> : null}
      </section>
    </div>
  );
}
