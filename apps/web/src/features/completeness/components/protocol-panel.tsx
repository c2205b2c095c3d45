import type { ProtocolResponse } from '@collector/contracts';
import { useId, useRef, useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../shared/format/format-date.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useProtocol } from '../api/get-protocol.ts';
import { useSubmitProtocol } from '../api/submit-protocol.ts';
import { PROTOCOL_TEXT } from '../utils/format.ts';

/** «Протокол проведения»: who was present with which kit, by a form or a CSV file, and how it matches the scans. */
export function ProtocolPanel({ event, school }: { event: string; school: string }) {
  const protocol = useProtocol(event, school);
  // above the form, which starts afresh with each saved version: the outcome of saving stays on screen
  const submit = useSubmitProtocol(school);
  return (
    <section className="completeness-section" aria-labelledby={`protocol-${school}`}>
      <h3 id={`protocol-${school}`} className="completeness-section__title">
        Протокол проведения
      </h3>
      {protocol.isError ? <Alert tone="error" title="Протокол не загрузился">{protocol.error.message}</Alert> : null}
      {protocol.data ? <ProtocolBody key={protocol.data.submittedAt ?? 'new'} event={event} school={school} data={protocol.data} submit={submit} /> : null}
    </section>
  );
}

function ProtocolBody({ event, school, data, submit }: { event: string; school: string; data: ProtocolResponse; submit: ReturnType<typeof useSubmitProtocol> }) {
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [present, setPresent] = useState<Record<string, boolean>>(() => {
    const marks = new Map(data.entries.map((e) => [e.kitNumber, e.present]));
    return Object.fromEntries(data.kitNumbers.map((k) => [k, marks.get(k) ?? true]));
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate({ form: { event, entries: data.kitNumbers.map((kitNumber) => ({ kitNumber, present: present[kitNumber] ?? false })) } });
  };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    submit.mutate({ csv: { event, csv: await file.text() } });
  };
  const r = data.reconciliation;
  return (
    <>
      <p>
        <span className={`badge ${data.state === 'on_time' ? 'badge--on' : data.state === 'awaited' ? 'badge--off' : 'completeness-badge--warn'}`}>{PROTOCOL_TEXT[data.state]}</span>{' '}
        <span className="muted">
          срок — {formatDateTime(data.dueAt)}
          {data.submittedAt ? `; сдан ${formatDateTime(data.submittedAt)}${data.submittedBy ? ` (${data.submittedBy})` : ''}` : ''}
        </span>
      </p>
      {data.submittedAt ? (
        <ul className="reconciliation">
          <li>Присутствовали, комплект полный: {r.presentComplete.length}</li>
          {r.presentMissing.map((m) => (
            <li key={m.kitNumber} className="completeness__red">
              Присутствовал, не хватает бланков: комплект {m.kitNumber} (бланки {m.missingPositions.join(', ')})
            </li>
          ))}
          {r.absentScanned.length > 0 ? <li className="completeness__red">Отсутствовали, но есть сканы: {r.absentScanned.join(', ')}</li> : null}
          {r.scannedNotInProtocol.length > 0 ? <li className="completeness__red">Есть сканы, нет в протоколе: {r.scannedNotInProtocol.join(', ')}</li> : null}
        </ul>
      ) : null}
      {submit.isError ? <Alert tone="error" title="Протокол не сохранён">{submit.error.message}</Alert> : null}
      {submit.isSuccess ? <Alert tone="success">Протокол сохранён.</Alert> : null}
      <form onSubmit={onSubmit} className="protocol-form" aria-label={`Протокол точки проведения ${school}`}>
        <fieldset>
          <legend>Выданные комплекты: отметьте присутствовавших участников</legend>
          <div className="protocol-form__kits">
            {data.kitNumbers.map((kit) => (
              <label key={kit} className="protocol-form__kit">
                <input type="checkbox" checked={present[kit] ?? false} onChange={(e) => setPresent((p) => ({ ...p, [kit]: e.target.checked }))} /> {kit}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="protocol-form__actions">
          <Button type="submit" variant="primary" busy={submit.isPending} busyLabel="Сохраняем…">
            Сохранить протокол
          </Button>
          {/* the browser's own file button speaks the browser's language: a Russian button opens the hidden field */}
          <input
            ref={fileInput}
            id={fileId}
            className="visually-hidden"
            type="file"
            accept=".csv,text/csv"
            aria-label="CSV-файл протокола (kit_number;present)"
            tabIndex={-1}
            onChange={(e) => {
              void onFile(e.currentTarget.files?.[0]);
              e.currentTarget.value = '';
            }}
          />
          <Button onClick={() => fileInput.current?.click()}>или загрузите CSV (kit_number;present)</Button>
        </div>
      </form>
    </>
  );
}
