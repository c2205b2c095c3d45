import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import type { QueueItem } from '../hooks/upload-queue.ts';
import { formatBytes, formatDuration, formatPercent, formatSpeed, pluralRu } from '../utils/format-transfer.ts';
import type { PreflightWarning } from '../utils/preflight-archive.ts';

type QueueItemRowProps = {
  item: QueueItem;
  onRetry: (key: string) => void;
  onRetryWithPassword: (key: string, password: string) => void;
  onRemove: (key: string) => void;
};

/** One file on its way: what the local check found, then percent, speed and time left. */
export function QueueItemRow({ item, onRetry, onRetryWithPassword, onRemove }: QueueItemRowProps) {
  const active = item.state === 'sending' || item.state === 'packing' || item.state === 'submitting';
  return (
    <li className={`queue-item queue-item--${item.state}`}>
      <div className="queue-item__head">
        <div className="queue-item__titles">
          <p className="queue-item__name">{item.name}</p>
          <p className="queue-item__meta">
            {item.state === 'packing' || (item.folder !== null && item.state === 'waiting') ? '≈ ' : ''}
            {formatBytes(item.sizeBytes)}
            {item.folder === null
              ? null
              : ` · ${pluralRu(item.folder.fileCount, 'файл', 'файла', 'файлов')} из папки «${item.folder.name}»` +
                (item.folder.parts > 1 ? `, архив ${item.folder.part} из ${item.folder.parts}` : '')}
          </p>
        </div>
        <Button size="small" variant="quiet" onClick={() => onRemove(item.key)}>
          {active || item.state === 'waiting' || item.state === 'checking' ? 'Отменить' : 'Убрать'}
          <span className="visually-hidden"> {item.name}</span>
        </Button>
      </div>
      <ItemState item={item} onRetry={onRetry} onRetryWithPassword={onRetryWithPassword} />
      {item.warnings.length > 0 ? <Warnings warnings={item.warnings} /> : null}
    </li>
  );
}

function ItemState({ item, onRetry, onRetryWithPassword }: Omit<QueueItemRowProps, 'onRemove'>) {
  switch (item.state) {
    case 'checking':
      return <p className="queue-item__state">Проверяем архив…</p>;
    case 'waiting':
      return <p className="queue-item__state">{item.folder === null ? 'Проверен, ждёт очереди' : 'Ждёт очереди'}</p>;
    case 'packing': {
      const total = item.folder?.fileCount ?? 0;
      return (
        <div className="queue-item__progress">
          <progress className="progress" max={Math.max(total, 1)} value={item.packedFiles} aria-label={`Сборка архива ${item.name}`} />
          <p className="queue-item__state">
            Собираем архив: {item.packedFiles} из {pluralRu(total, 'файла', 'файлов', 'файлов')}
          </p>
        </div>
      );
    }
    case 'sending':
      return <SendingProgress item={item} />;
    case 'submitting':
      return <p className="queue-item__state">Файл получен сервером, передаём на обработку…</p>;
    case 'sent':
      return <p className="queue-item__state queue-item__state--done">Отправлен. Ход обработки и количество новых сканов — в списке загрузок ниже.</p>;
    case 'blocked':
      return (
        <div className="queue-item__faults">
          <Alert tone="error" title="Файл не отправлен">
            {item.faults.map((fault) => (
              <p key={fault.code}>{fault.text}</p>
            ))}
          </Alert>
          {item.faults.some((fault) => fault.code === 'password_required' || fault.code === 'wrong_password') ? (
            <PasswordRetry name={item.name} onSubmit={(password) => onRetryWithPassword(item.key, password)} />
          ) : null}
        </div>
      );
    case 'failed':
      return (
        <div className="queue-item__faults">
          <Alert tone="error">{item.error ?? 'Не удалось отправить файл.'}</Alert>
          <div>
            <Button size="small" onClick={() => onRetry(item.key)}>
              {item.failedAt === 'sending' ? 'Продолжить' : 'Повторить'}
              <span className="visually-hidden"> {item.name}</span>
            </Button>
          </div>
        </div>
      );
  }
}

function SendingProgress({ item }: { item: QueueItem }) {
  const { bytesSent, sizeBytes, bytesPerSecond } = item;
  const left = bytesPerSecond !== null && bytesPerSecond > 0 ? (sizeBytes - bytesSent) / bytesPerSecond : null;
  return (
    <div className="queue-item__progress">
      <progress className="progress" max={Math.max(sizeBytes, 1)} value={bytesSent} aria-label={`Отправка файла ${item.name}`} />
      <p className="queue-item__state queue-item__numbers">
        <span className="queue-item__percent">{formatPercent(bytesSent, sizeBytes)}</span>
        <span>
          {formatBytes(bytesSent)} из {formatBytes(sizeBytes)}
        </span>
        {bytesSent >= sizeBytes ? (
          <span>файл передан, ждём подтверждения сервера…</span>
        ) : (
          <>
            {bytesPerSecond === null ? null : <span>{formatSpeed(bytesPerSecond)}</span>}
            {left === null ? <span>оцениваем время…</span> : <span>осталось {formatDuration(left)}</span>}
          </>
        )}
      </p>
    </div>
  );
}

function PasswordRetry({ name, onSubmit }: { name: string; onSubmit: (password: string) => void }) {
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== '') onSubmit(password);
  };
  return (
    <form className="queue-item__password" onSubmit={submit} aria-label={`Пароль для ${name}`}>
      <TextField label="Пароль этого архива" type="password" autoComplete="off" value={password} onChange={(event) => setPassword(event.target.value)} />
      <Button type="submit" size="small" variant="primary">
        Проверить и отправить
      </Button>
    </form>
  );
}

const SHOWN_NAMES = 5;

/** By name only: the server decides by content, so the archive still goes. */
function Warnings({ warnings }: { warnings: readonly PreflightWarning[] }) {
  const general = warnings.filter((warning) => warning.entryName === null);
  const byText = new Map<string, string[]>();
  for (const warning of warnings) {
    if (warning.entryName === null) continue;
    byText.set(warning.text, [...(byText.get(warning.text) ?? []), warning.entryName]);
  }
  return (
    <div className="queue-item__warnings">
      <p className="queue-item__warnings-title">Архив отправляется, но по именам файлов похоже, что сервер не примет часть из них:</p>
      <ul>
        {general.map((warning) => (
          <li key={warning.code}>{warning.text}</li>
        ))}
        {[...byText].map(([text, names]) => (
          <li key={text}>
            {names.slice(0, SHOWN_NAMES).map((name) => `«${name}»`).join(', ')}
            {names.length > SHOWN_NAMES ? ` и ещё ${names.length - SHOWN_NAMES}` : ''}: {text}
          </li>
        ))}
      </ul>
    </div>
  );
}
