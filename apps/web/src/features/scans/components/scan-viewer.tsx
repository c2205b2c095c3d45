import { UNRECOGNIZED_REASON_TEXT } from '@collector/contracts';
import type { Rotation, Scan, UpdateScanResponse } from '@collector/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { errorMessage, isApiError } from '../../../shared/api/api-error.ts';
import { formatDateTime } from '../../../shared/format/format-date.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDeleteScan } from '../api/delete-scan.ts';
import { useNumberCheck } from '../api/get-number-check.ts';
import { useScanHistory } from '../api/get-scan-history.ts';
import { useSuggestions } from '../api/get-suggestions.ts';
import { useUpdateScan } from '../api/update-scan.ts';
import { SOURCE_TEXT, formatNumber, imageUrl, scansWord } from './format-scan.ts';
import { ImageViewport } from './image-viewport.tsx';

const NUMBER_LENGTH = 17;

type ViewerProps = {
  uploadId: string;
  scan: Scan;
  /** the unrecognised scans in scan order: «осталось N», ← / →, and what «Сохранить» opens next */
  queue: readonly string[];
  onNavigate: (scanId: string) => void;
  onClose: () => void;
  onNotice: (text: string) => void;
};

/** «Просмотр отсканированного бланка»: a modal dialog that keeps focus inside it and gives it back when closed. */
export function ScanViewer(props: ViewerProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

  useEffect(() => {
    const el = dialog.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (el && !el.open) el.showModal();
    // the panel mounts before the dialog opens: its field takes the focus once it can
    el?.querySelector<HTMLInputElement>('.scan-viewer__number')?.focus();
    return () => {
      if (before?.isConnected) before.focus();
      else document.querySelector<HTMLElement>('.scans-page h1')?.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="scan-viewer"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <ScanPanel key={props.scan.id} {...props} titleId={titleId} />
    </dialog>
  );
}

function nextInQueue(queue: readonly string[], current: string): string | null {
  const at = queue.indexOf(current);
  if (at < 0) return queue[0] ?? null;
  return queue[at + 1] ?? queue[at - 1] ?? null;
}

function ScanPanel({ uploadId, scan: listed, queue, onNavigate, onClose, onNotice, titleId }: ViewerProps & { titleId: string }) {
  const [latest, setLatest] = useState<UpdateScanResponse | null>(null);
  // the freshest of what the list says and what our own last change answered
  const scan: Scan = latest && latest.version > listed.version ? latest : listed;
  const [number, setNumber] = useState(scan.blankNumber ?? '');
  const [zoomStep, setZoomStep] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const update = useUpdateScan(uploadId);
  const remove = useDeleteScan(uploadId);
  const prefix = number.length >= 4 && number.length < NUMBER_LENGTH ? number : '';
  const suggestions = useSuggestions(scan.id, scan.version, prefix);
  const complete = number.length === NUMBER_LENGTH;
  const check = useNumberCheck(scan.id, number, complete);
  const history = useScanHistory(scan.id, showHistory);
  const ids = useId();

  const at = queue.indexOf(scan.id);
  const remaining = queue.length;
  const busy = update.isPending || remove.isPending;

  useEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const go = (delta: -1 | 1) => {
    const target = at < 0 ? queue[0] : queue[at + delta];
    if (target) onNavigate(target);
  };

  const rotate = (turn: 90 | 270) => {
    if (busy) return;
    const rotation = ((scan.rotation + turn) % 360) as Rotation;
    update.mutate(
      { scanId: scan.id, version: scan.version, change: { rotation } },
      {
        onSuccess: (data) => {
          setLatest(data);
          setMessage(data.offeredNumber ? `Бланк повёрнут. Штрихкод прочитан: ${data.offeredNumber} — он предложен ниже, проверьте и сохраните.` : 'Бланк повёрнут.');
        },
      },
    );
  };

  const save = () => {
    if (busy) return;
    if (!complete) {
      setMessage(null);
      update.reset();
      input.current?.focus();
      setMessage(`Введите номер бланка: ${NUMBER_LENGTH} цифр`);
      return;
    }
    const next = nextInQueue(queue, scan.id);
    update
      .mutateAsync({ scanId: scan.id, version: scan.version, change: { blankNumber: number } })
      .then((data) => {
        onNotice(`Скан ${data.entryName} сохранён с номером бланка ${data.blankNumber ?? ''}${data.duplicateOf.length > 0 ? ' (теперь у бланка есть дубль)' : ''}.`);
        if (next && next !== scan.id) onNavigate(next);
        else onClose();
      })
      .catch(() => input.current?.focus());
  };

  const confirmDelete = () => {
    const next = nextInQueue(queue, scan.id);
    // awaited, not mutate's callbacks: the list drops the deleted scan and this panel may be gone by then
    remove
      .mutateAsync({ scanId: scan.id, version: scan.version })
      .then((data) => {
        onNotice(`${data.entryName}: ${data.instruction}.`);
        if (next && next !== scan.id) onNavigate(next);
        else onClose();
      })
      .catch(() => setConfirming(false));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const inField = event.target === input.current;
    const empty = number === '';
    const key = event.key;
    if (key === 'Escape') {
      event.preventDefault();
      if (confirming) {
        setConfirming(false);
        input.current?.focus();
      } else onClose();
      return;
    }
    if (confirming || event.ctrlKey || event.metaKey || event.altKey) return;
    const inViewport = event.target instanceof HTMLElement && event.target.classList.contains('viewport__page');
    if (inField && key === 'Enter') {
      event.preventDefault();
      save();
    } else if (/^[rRкК]$/.test(key)) {
      event.preventDefault();
      rotate(90);
    } else if (/^[lLдД]$/.test(key)) {
      event.preventDefault();
      rotate(270);
    } else if (key === 'Delete' && (!inField || empty)) {
      event.preventDefault();
      setConfirming(true);
    } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && !inViewport && (!inField || empty)) {
      event.preventDefault();
      go(key === 'ArrowLeft' ? -1 : 1);
    } else if ((key === '+' || key === '=') && !inField) {
      event.preventDefault();
      setZoomStep((z) => Math.min(4, z + 1));
    } else if (key === '-' && !inField) {
      event.preventDefault();
      setZoomStep((z) => Math.max(0, z - 1));
    }
  };

  const error = update.error ?? remove.error;
  const reason = scan.status === 'recognized' ? `распознан: комплект ${scan.kitNumber ?? '—'}, бланк ${scan.position ?? '—'}` : scan.reason ? UNRECOGNIZED_REASON_TEXT[scan.reason] : 'не распознан';
  const list = suggestions.data?.suggestions ?? [];

  return (
    <div className="scan-viewer__panel" onKeyDown={onKeyDown}>
      <header className="scan-viewer__header">
        <div>
          <h2 id={titleId} className="scan-viewer__title">
            Просмотр отсканированного бланка
          </h2>
          <p className="scan-viewer__meta">
            <span>{scan.entryName}</span> · <span>{reason}</span>
          </p>
        </div>
        <p className="scan-viewer__queue" aria-live="polite">
          {at >= 0 ? `${formatNumber(at + 1)} из ${formatNumber(remaining)} · ` : ''}осталось {formatNumber(remaining)} {scansWord(remaining)}
        </p>
        <Button variant="quiet" onClick={onClose} aria-label="Закрыть (Esc)">
          ✕
        </Button>
      </header>

      <div className="scan-viewer__body">
        <div className="scan-viewer__image">
          <div className="scan-viewer__rotate" role="group" aria-label="Поворот бланка">
            <Button onClick={() => rotate(270)} busy={update.isPending && update.variables?.change && 'rotation' in update.variables.change} aria-label="Повернуть влево (L)">
              ↺ Влево
            </Button>
            <Button onClick={() => rotate(90)} aria-label="Повернуть вправо (R)">
              ↻ Вправо
            </Button>
          </div>
          <ImageViewport src={imageUrl(scan.id, scan.version, scan.rotation)} alt={`Скан ${scan.entryName}`} zoomStep={zoomStep} onZoomStep={setZoomStep} />
        </div>

        <div className="scan-viewer__side">
          <div className="field">
            <label htmlFor={`${ids}-number`} className="field__label">
              НОМЕР БЛАНКА
            </label>
            <input
              ref={input}
              id={`${ids}-number`}
              className="field__input scan-viewer__number"
              inputMode="numeric"
              autoComplete="off"
              maxLength={NUMBER_LENGTH}
              value={number}
              aria-describedby={`${ids}-hint ${ids}-check`}
              aria-invalid={check.data?.problem ? true : undefined}
              onChange={(event) => {
                setNumber(event.target.value.replace(/\D/g, '').slice(0, NUMBER_LENGTH));
                setMessage(null);
              }}
            />
            <p id={`${ids}-hint`} className="field__hint">
              {NUMBER_LENGTH} цифр. Enter — сохранить, R / L — повернуть, Delete — удалить, ← / → — другой скан, Esc — закрыть
            </p>
            <div id={`${ids}-check`} aria-live="polite">
              {complete && check.data?.problem ? <p className="scan-viewer__problem">{check.data.problem}</p> : null}
              {complete && check.data && !check.data.problem ? (
                <p className="scan-viewer__ok">
                  Комплект {check.data.kitNumber}, бланк {check.data.position}
                </p>
              ) : null}
              {complete && check.data && check.data.heldBy.length > 0 ? (
                <div className="scan-viewer__warning" role="alert">
                  Внимание: у этого бланка уже есть скан — {check.data.heldBy.map((h) => `«${h.entryName}» в загрузке «${h.uploadFileName}»`).join(', ')}. После сохранения бланк станет дублем.
                </div>
              ) : null}
            </div>
          </div>

          <section aria-labelledby={`${ids}-sugg`} className="suggestions">
            <h3 id={`${ids}-sugg`} className="suggestions__title">
              Подсказки {suggestions.isFetching ? <span className="muted">(ищем…)</span> : null}
            </h3>
            {list.length === 0 && !suggestions.isFetching ? <p className="muted">Подсказок нет: введите номер с бланка.</p> : null}
            <ul className="suggestions__list">
              {list.slice(0, 6).map((s) => (
                <li key={s.blankNumber}>
                  <button
                    type="button"
                    className={`suggestion ${s.confident ? 'suggestion--sure' : ''}`}
                    onClick={() => {
                      setNumber(s.blankNumber);
                      setMessage(null);
                      input.current?.focus();
                    }}
                  >
                    <span className="suggestion__number">
                      <span className="visually-hidden">Подставить </span>
                      {s.blankNumber}
                    </span>
                    <span className="suggestion__meta">
                      {s.kitNumber ? `комплект ${s.kitNumber}, бланк ${s.position} · ` : ''}
                      {s.sources.map((x) => SOURCE_TEXT[x]).join(' + ')} · {s.confident ? 'надёжно' : 'проверьте'}
                      {s.liveScans > 0 ? ' · уже есть скан' : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>

          <div aria-live="polite">{message ? <p className="scan-viewer__message">{message}</p> : null}</div>
          {error ? (
            <Alert tone="error" title={isApiError(error, 'conflict') ? 'Скан уже изменён' : undefined}>
              {errorMessage(error)}
            </Alert>
          ) : null}

          {confirming ? (
            <div className="scan-viewer__confirm" role="alertdialog" aria-labelledby={`${ids}-confirm`} aria-describedby={`${ids}-confirm-text`}>
              <p id={`${ids}-confirm`} className="alert__title">
                Удалить скан {scan.entryName}?
              </p>
              <p id={`${ids}-confirm-text`}>Скан исчезнет из списков (останется в журнале). Отсканируйте этот бланк заново и загрузите его снова.</p>
              <div className="scan-viewer__actions">
                <button ref={confirmButton} type="button" className="button button--danger" onClick={confirmDelete} aria-busy={remove.isPending || undefined}>
                  Да, удалить
                </button>
                <Button
                  onClick={() => {
                    setConfirming(false);
                    input.current?.focus();
                  }}
                >
                  Отмена
                </Button>
              </div>
            </div>
          ) : (
            <div className="scan-viewer__actions">
              <Button variant="primary" onClick={save} busy={update.isPending && update.variables?.change !== undefined && 'blankNumber' in update.variables.change} busyLabel="Сохраняем…">
                Сохранить
              </Button>
              <Button variant="danger" onClick={() => setConfirming(true)}>
                Удалить
              </Button>
            </div>
          )}

          <div className="scan-viewer__nav" role="group" aria-label="Очередь нераспознанных сканов">
            <Button size="small" onClick={() => go(-1)} disabled={at <= 0} aria-label="Предыдущий скан (←)">
              ← Предыдущий
            </Button>
            <Button size="small" onClick={() => go(1)} disabled={at < 0 ? queue.length === 0 : at >= queue.length - 1} aria-label="Следующий скан (→)">
              Следующий →
            </Button>
          </div>

          <details className="scan-viewer__history" onToggle={(event) => setShowHistory((event.target as HTMLDetailsElement).open)}>
            <summary>История изменений</summary>
            {history.isPending && showHistory ? <p className="muted">Загрузка…</p> : null}
            {history.data && history.data.history.length === 0 ? <p className="muted">Изменений не было.</p> : null}
            <ul>
              {history.data?.history.map((h, i) => (
                <li key={i}>
                  <time dateTime={h.at}>{formatDateTime(h.at)}</time> · {h.userName ?? h.userLogin ?? 'система'} · {describe(h.action, h.before, h.after)}
                </li>
              ))}
            </ul>
          </details>
        </div>
      </div>
    </div>
  );
}

function describe(action: string, before: { blankNumber: string | null; rotation: number } | null, after: { blankNumber: string | null; rotation: number } | null): string {
  if (action === 'scan.rotate') return `поворот ${before?.rotation ?? 0}° → ${after?.rotation ?? 0}°`;
  if (action === 'scan.delete') return 'скан удалён';
  return `номер ${before?.blankNumber ?? '—'} → ${after?.blankNumber ?? '—'}`;
}
