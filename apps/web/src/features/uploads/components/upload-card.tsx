import { ENTRY_CODE_TEXT, UPLOAD_HINT_TEXT, rejectionText } from '@collector/contracts';
import type { Upload } from '@collector/contracts';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatDateTime } from '../../../shared/format/format-date.ts';
import { Link } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import { useSubmitUpload } from '../api/submit-upload.ts';
import { formatBytes, formatCount, formatPercent } from '../utils/format-transfer.ts';
import { RESCAN_WARNING_TEXT, UPLOAD_FAILED_TEXT, rescanRecommended, uploadStatusLabel, uploadStatusTone } from './upload-status.ts';

const shareFormat = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 0 });

/** One archive in «Список загрузок»: what happened to it, in the instruction's words. */
export function UploadCard({ upload, showRegion, handledHere = false }: { upload: Upload; showRegion: boolean; handledHere?: boolean }) {
  const titleId = useId();
  const { counts, status } = upload;
  // All bytes in, not yet handed to processing: by this page in a moment, or by the person (a closed tab, a restart).
  const waitsForSubmit = upload.passwordNeeded && !handledHere;
  const received = status === 'receiving' && upload.passwordNeeded;
  const showCounts = status === 'done' || (status === 'processing' && counts.total > 0);
  const uploader = upload.uploadedBy.fullName.trim() === '' ? upload.uploadedBy.login : upload.uploadedBy.fullName;

  return (
    <li className="upload-card">
      <article aria-labelledby={titleId} className="upload-card__body">
        <header className="upload-card__header">
          <div className="upload-card__titles">
            <h3 id={titleId} className="upload-card__name">
              {upload.fileName}
            </h3>
            <p className="upload-card__meta">
              <time dateTime={upload.createdAt}>{formatDateTime(upload.createdAt)}</time>
              <span>{formatBytes(upload.sizeBytes)}</span>
              <span>{uploader}</span>
              {showRegion ? <span>регион {upload.regionCode}</span> : null}
            </p>
          </div>
          <p className={`status status--${uploadStatusTone(status)}`}>
            <span className="visually-hidden">Статус: </span>
            {received ? 'файл получен' : uploadStatusLabel(upload)}
          </p>
        </header>

        {status === 'receiving' && !received ? <ReceivingProgress upload={upload} /> : null}
        {received && handledHere ? <p className="muted">Файл получен, передаём на обработку…</p> : null}
        {status === 'processing' && upload.progress !== null && upload.progress.total > 0 ? (
          <progress
            className="progress"
            max={upload.progress.total}
            value={upload.progress.processed}
            aria-label={`Обработка архива ${upload.fileName}`}
          />
        ) : null}
        {status === 'queued' && !upload.passwordNeeded ? <p className="muted">Архив получен и ждёт обработки.</p> : null}

        {status === 'rejected' ? (
          <Alert tone="error" title="Архив отклонён">
            <p>{upload.rejectCode === null ? UPLOAD_FAILED_TEXT : rejectionText(upload.rejectCode)}</p>
          </Alert>
        ) : null}
        {status === 'failed' ? <Alert tone="error">{UPLOAD_FAILED_TEXT}</Alert> : null}
        {waitsForSubmit ? <SubmitAgain upload={upload} /> : null}

        {showCounts ? <Counts upload={upload} /> : null}
        {status === 'done' && counts.total > 0 ? (
          <p className="upload-card__scans-link">
            <Link to={`/uploads/${upload.id}`}>
              Список сканов{counts.unrecognized > 0 ? ` — исправить нераспознанные (${formatCount(counts.unrecognized)})` : ''}
            </Link>
          </p>
        ) : null}
        {status === 'done' && rescanRecommended(counts) ? (
          <Alert tone="error" title={`Нераспознано ${formatCount(counts.unrecognized)} из ${formatCount(counts.total)} (${shareFormat.format(counts.unrecognized / counts.total)})`}>
            <p>{RESCAN_WARNING_TEXT}</p>
            {upload.hints.length > 0 ? (
              <>
                <p>Вероятные причины:</p>
                <ul className="upload-card__list">
                  {upload.hints.map((hint) => (
                    <li key={hint}>{UPLOAD_HINT_TEXT[hint]}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </Alert>
        ) : null}
        {upload.problems.length > 0 ? <Problems upload={upload} /> : null}
        {upload.ignored.length > 0 ? (
          <p className="muted upload-card__ignored">
            Пропущены служебные файлы: {upload.ignored.slice(0, 5).join(', ')}
            {upload.ignored.length > 5 ? ` и ещё ${formatCount(upload.ignored.length - 5)}` : ''}
          </p>
        ) : null}
      </article>
    </li>
  );
}

function ReceivingProgress({ upload }: { upload: Upload }) {
  if (upload.sizeBytes <= 0) return null;
  return (
    <div className="upload-card__receiving">
      <progress className="progress" max={upload.sizeBytes} value={upload.receivedBytes} aria-label={`Приём файла ${upload.fileName}`} />
      <p className="muted">
        Получено {formatBytes(upload.receivedBytes)} из {formatBytes(upload.sizeBytes)} ({formatPercent(upload.receivedBytes, upload.sizeBytes)})
      </p>
    </div>
  );
}

function Counts({ upload }: { upload: Upload }) {
  const { counts, status } = upload;
  const nothingNew = status === 'done' && counts.total > 0 && counts.newScans === 0;
  return (
    <>
      <dl className="counts" aria-label={`Сканы архива ${upload.fileName}`}>
        <div className="counts__item">
          <dt>всего</dt>
          <dd>{formatCount(counts.total)}</dd>
        </div>
        <div className="counts__item">
          <dt>распознано</dt>
          <dd>{formatCount(counts.recognized)}</dd>
        </div>
        <div className={counts.unrecognized > 0 ? 'counts__item counts__item--warn' : 'counts__item'}>
          <dt>нераспознано</dt>
          <dd>{formatCount(counts.unrecognized)}</dd>
        </div>
        <div className={nothingNew ? 'counts__item counts__item--warn' : 'counts__item counts__item--new'}>
          <dt>новых сканов</dt>
          <dd>{formatCount(counts.newScans)}</dd>
        </div>
      </dl>
      {nothingNew ? (
        <p className="upload-card__note upload-card__note--warn">
          Новых сканов нет: все страницы этого архива уже были загружены раньше.
        </p>
      ) : null}
    </>
  );
}

function Problems({ upload }: { upload: Upload }) {
  return (
    <details className="upload-card__problems" open={upload.problems.length <= 5}>
      <summary>Не приняты файлы из архива: {formatCount(upload.problems.length)}</summary>
      <ul className="upload-card__list">
        {upload.problems.map((problem) => (
          <li key={`${problem.entryName}:${problem.code}`}>
            <span className="upload-card__entry">{problem.entryName}</span> — {ENTRY_CODE_TEXT[problem.code]}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * The archive is on the server but waits for the person: the tab was closed between the last byte and the
 * submit (the password, if any, is then optional here), or the server restarted before it used the password
 * (then it is needed again). The password travels only in this call; the file is not sent again.
 */
function SubmitAgain({ upload }: { upload: Upload }) {
  const passwordRequired = upload.status !== 'receiving';
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = useSubmitUpload();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (passwordRequired && password === '') {
      setMissing(true);
      return;
    }
    submit.mutate({ id: upload.id, password }, { onSuccess: () => setPassword('') });
  };

  return (
    <form className="upload-card__password" onSubmit={onSubmit} aria-label={`Отправка архива ${upload.fileName} на обработку`} noValidate>
      <p>
        {passwordRequired
          ? 'Сервер перезапускался и не успел открыть архив. Введите пароль архива ещё раз и нажмите «Отправить» — загружать файл заново не нужно.'
          : 'Архив получен полностью, но не передан на обработку: страница закрылась раньше. Если архив защищён паролем, введите пароль, затем нажмите «Отправить».'}
      </p>
      <div className="upload-card__password-row">
        <TextField
          label={passwordRequired ? 'Пароль архива' : 'Пароль архива (если есть)'}
          type="password"
          autoComplete="off"
          value={password}
          error={missing && password === '' ? 'Введите пароль архива' : undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
        <Button type="submit" variant="primary" busy={submit.isPending} busyLabel="Отправляем…">
          Отправить
        </Button>
      </div>
      {submit.isError ? <Alert tone="error">{errorMessage(submit.error)}</Alert> : null}
    </form>
  );
}
