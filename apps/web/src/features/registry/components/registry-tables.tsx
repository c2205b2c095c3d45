import type { RegistrySummaryResponse } from '@collector/contracts';
import { useId, useState } from 'react';
import { formatDay } from '../../../shared/format/format-date.ts';

const countFormat = new Intl.NumberFormat('ru-RU');
const n = (value: number) => countFormat.format(value);
/** More rows than this make a long page nobody reads; a region narrows the list. */
export const SCHOOL_ROWS_SHOWN = 200;

export function EventsTable({ events }: { events: RegistrySummaryResponse['events'] }) {
  return (
    <div className="table-scroll" role="region" aria-label="Мероприятия" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Мероприятие</th>
            <th scope="col">Название</th>
            <th scope="col">Дата</th>
            <th scope="col" className="registry-num">
              Точек<span className="visually-hidden"> проведения</span>
            </th>
            <th scope="col" className="registry-num">Комплектов</th>
            <th scope="col" className="registry-num">Бланков</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.code}>
              <th scope="row" className="table__nowrap">{event.code}</th>
              <td>{event.title}</td>
              <td className="table__nowrap">{formatDay(event.date)}</td>
              <td className="registry-num">{n(event.schools)}</td>
              <td className="registry-num">{n(event.kits)}</td>
              <td className="registry-num">{n(event.blanks)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SchoolsTable({ regions, schools }: Pick<RegistrySummaryResponse, 'regions' | 'schools'>) {
  const selectId = useId();
  const [regionCode, setRegionCode] = useState('');
  const chosen = regionCode === '' ? schools : schools.filter((school) => school.regionCode === regionCode);
  const shown = chosen.slice(0, SCHOOL_ROWS_SHOWN);
  return (
    <>
      <div className="table-scroll" role="region" aria-label="Регионы" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Регион</th>
              <th scope="col" className="registry-num">Точек проведения</th>
              <th scope="col" className="registry-num">Комплектов</th>
              <th scope="col" className="registry-num">Бланков</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((region) => (
              <tr key={region.regionCode}>
                <th scope="row">{region.regionCode}</th>
                <td className="registry-num">{n(region.schools)}</td>
                <td className="registry-num">{n(region.kits)}</td>
                <td className="registry-num">{n(region.blanks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="field registry-region">
        <label className="field__label" htmlFor={selectId}>
          Точки проведения региона
        </label>
        <select id={selectId} className="field__input" value={regionCode} onChange={(event) => setRegionCode(event.currentTarget.value)}>
          <option value="">Все регионы</option>
          {regions.map((region) => (
            <option key={region.regionCode} value={region.regionCode}>
              {region.regionCode}
            </option>
          ))}
        </select>
      </div>
      <div className="table-scroll" role="region" aria-label="Точки проведения" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Точка проведения</th>
              <th scope="col">Регион</th>
              <th scope="col" className="registry-num">Мероприятий</th>
              <th scope="col" className="registry-num">Комплектов</th>
              <th scope="col" className="registry-num">Бланков</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((school) => (
              <tr key={school.code}>
                <th scope="row">{school.code}</th>
                <td>{school.regionCode}</td>
                <td className="registry-num">{n(school.events)}</td>
                <td className="registry-num">{n(school.kits)}</td>
                <td className="registry-num">{n(school.blanks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chosen.length > shown.length ? (
        <p className="muted">
          Показаны первые {n(shown.length)} из {n(chosen.length)} точек проведения: выберите регион, чтобы увидеть его точки.
        </p>
      ) : null}
    </>
  );
}
