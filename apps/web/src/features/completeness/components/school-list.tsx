import type { SchoolRow, SchoolSort } from '@collector/contracts';
import { useDeferredValue, useState } from 'react';
import { formatDateTime, formatDay } from '../../../shared/format/format-date.ts';
import { Link } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { SelectField } from '../../../shared/ui/select-field.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import { useRegions } from '../api/get-regions.ts';
import { schoolsExportUrl, useSchools } from '../api/get-schools.ts';
import { n, PROTOCOL_TEXT, schoolLine } from '../utils/format.ts';
import { SchoolPanel } from './school-panel.tsx';

const SORTS: { value: `${SchoolSort}:${'asc' | 'desc'}`; label: string }[] = [
  { value: 'schoolCode:asc', label: 'по коду точки проведения' },
  { value: 'duplicates:desc', label: 'сначала с дублями' },
  { value: 'missing:desc', label: 'сначала с недостающими бланками' },
  { value: 'empty:desc', label: 'сначала с пустыми' },
  { value: 'unrecognized:desc', label: 'сначала с нераспознанными' },
  { value: 'total:desc', label: 'по числу сканов' },
];

/** «Перечень школ и данные по загрузке комплектов бланков каждой школы»; a row with duplicates is red. */
export function SchoolList({ event, openSchool, onOpenSchool }: { event: string; openSchool: string; onOpenSchool: (code: string) => void }) {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<(typeof SORTS)[number]['value']>('schoolCode:asc');
  const [region, setRegion] = useState('');
  const regions = useRegions();
  const deferredSearch = useDeferredValue(search.trim());
  const [sortKey, order] = sort.split(':') as [SchoolSort, 'asc' | 'desc'];
  const params = { event, search: deferredSearch, sort: sortKey, order, region: region === '' ? undefined : region };
  const schools = useSchools(params);
  const manyRegions = (regions.data?.regions.length ?? 0) > 1;

  return (
    <section aria-labelledby="schools-title">
      <p>
        <Link to="/completeness">← Все мероприятия</Link>
      </p>
      <h2 id="schools-title" className="completeness__subtitle">
        {schools.data ? `${schools.data.event.title} (${schools.data.event.code}), ${formatDay(schools.data.event.date)}` : event}
      </h2>
      {schools.data ? <p className="muted">Протоколы проведения сдаются до {formatDateTime(schools.data.event.protocolDueAt)}.</p> : null}
      <div className="completeness__controls">
        <TextField label="Поиск точки проведения" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="sch771933" />
        <SelectField label="Порядок" value={sort} onChange={(e) => setSort(e.target.value as typeof sort)} options={SORTS} />
        {manyRegions ? (
          <SelectField
            label="Регион"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            options={[{ value: '', label: 'Все регионы' }, ...(regions.data?.regions ?? []).map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` }))]}
          />
        ) : null}
        <div className="completeness__downloads" role="group" aria-label="Скачать перечень точек проведения">
          <a className="button button--secondary" href={schoolsExportUrl(params, 'xlsx')} download>
            Скачать XLSX
          </a>
          <a className="button button--secondary" href={schoolsExportUrl(params, 'csv')} download>
            Скачать CSV
          </a>
        </div>
      </div>
      {schools.isPending ? <p className="muted" role="status">Считаем сканы…</p> : null}
      {schools.isError ? <Alert tone="error" title="Перечень точек проведения не загрузился">{schools.error.message}</Alert> : null}
      {schools.data ? (
        <>
          <p className="muted" role="status">
            Точек проведения: {n(schools.data.matched)}
            {schools.data.matched > schools.data.schools.length ? `, показаны первые ${n(schools.data.schools.length)}` : ''}
          </p>
          <ul className="school-list">
            {schools.data.schools.map((row) => (
              <SchoolItem key={row.schoolCode} row={row} event={event} open={row.schoolCode === openSchool} onToggle={() => onOpenSchool(row.schoolCode === openSchool ? '' : row.schoolCode)} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function SchoolItem({ row, event, open, onToggle }: { row: SchoolRow; event: string; open: boolean; onToggle: () => void }) {
  const red = row.duplicates > 0;
  const panelId = `school-${row.schoolCode}`;
  return (
    <li className={`school-row${red ? ' school-row--red' : ''}`}>
      <button type="button" className="school-row__toggle" aria-expanded={open} aria-controls={panelId} onClick={onToggle}>
        <span className="school-row__line">{schoolLine(row)}</span>
        <span className="school-row__notes">
          {red ? <span className="badge completeness-badge--red">есть дубли</span> : null}
          {row.missing > 0 ? <span className="badge completeness-badge--warn">не загружено бланков: {n(row.missing)}</span> : null}
          {row.unrecognized > 0 ? <span className="badge completeness-badge--warn">нераспознанных сканов: {n(row.unrecognized)}</span> : null}
          <span className={`badge ${row.protocol === 'on_time' ? 'badge--on' : row.protocol === 'awaited' ? 'badge--off' : 'completeness-badge--warn'}`}>{PROTOCOL_TEXT[row.protocol]}</span>
        </span>
      </button>
      {open ? (
        <div id={panelId} className="school-row__panel">
          <SchoolPanel event={event} school={row.schoolCode} />
        </div>
      ) : null}
    </li>
  );
}
