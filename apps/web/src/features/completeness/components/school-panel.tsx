import type { CompletenessFilter, KitListResponse, KitSlotState } from '@collector/contracts';
import { useState } from 'react';
import { Alert } from '../../../shared/ui/alert.tsx';
import { kitsExportUrl, useKits } from '../api/get-kits.ts';
import { DuplicatesPanel } from './duplicates-panel.tsx';
import { EmptyStrip } from './empty-strip.tsx';
import { KitGrid } from './kit-grid.tsx';
import { ProtocolPanel } from './protocol-panel.tsx';
import { ScanModal } from './scan-modal.tsx';

const FILTERS: { value: CompletenessFilter; label: string }[] = [
  { value: 'all', label: 'Все' },
  { value: 'filled', label: 'Правильно заполненные' },
  { value: 'empty', label: 'Пустые' },
];

/** A school expanded: its kits × blanks, the filters, its duplicates, the «Пустые» review and the protocol. */
export function SchoolPanel({ event, school }: { event: string; school: string }) {
  const [filter, setFilter] = useState<CompletenessFilter>('all');
  const kits = useKits(event, school, filter);
  const row: KitListResponse['school'] | undefined = kits.data?.school;
  const [viewing, setViewing] = useState<{ scanIds: string[]; scanId: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const open = (slot: KitSlotState) => {
    const first = slot.scanIds[0];
    if (first !== undefined) setViewing({ scanIds: slot.scanIds, scanId: first });
  };
  return (
    <div className="school-panel">
      <div className="school-panel__bar">
        <div className="completeness__filters" role="group" aria-label="Какие бланки показать">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" className={`button button--small ${filter === f.value ? 'button--primary' : 'button--secondary'}`} aria-pressed={filter === f.value} onClick={() => setFilter(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
        <div className="completeness__downloads" role="group" aria-label={`Скачать комплекты точки проведения ${school}`}>
          <a className="button button--small button--secondary" href={kitsExportUrl(event, school, filter, 'xlsx')} download>
            Комплекты в XLSX
          </a>
          <a className="button button--small button--secondary" href={kitsExportUrl(event, school, filter, 'csv')} download>
            Комплекты в CSV
          </a>
        </div>
      </div>
      {kits.isPending ? <p className="muted" role="status">Загружаем комплекты…</p> : null}
      {kits.isError ? <Alert tone="error" title="Комплекты не загрузились">{kits.error.message}</Alert> : null}
      {notice === null ? null : <Alert tone="success">{notice}</Alert>}
      {kits.data ? <KitGrid data={kits.data} onOpen={open} /> : null}
      {viewing ? (
        <ScanModal
          scanIds={viewing.scanIds}
          scanId={viewing.scanId}
          onNavigate={(scanId) => setViewing({ ...viewing, scanId })}
          onClose={() => setViewing(null)}
          onNotice={setNotice}
        />
      ) : null}
      {row && row.duplicates > 0 ? <DuplicatesPanel event={event} school={school} /> : null}
      {row && row.empty > 0 ? <EmptyStrip event={event} school={school} /> : null}
      <ProtocolPanel event={event} school={school} />
    </div>
  );
}
