import { formatDateTime, formatDay } from '../../../shared/format/format-date.ts';
import { Link } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { EmptyState } from '../../../shared/ui/empty-state.tsx';
import { useEvents } from '../api/get-events.ts';
import { n, percent } from '../utils/format.ts';

/** «Перечень мероприятий, по которым производилась загрузка отсканированных бланков». */
export function EventList() {
  const events = useEvents(undefined);
  if (events.isPending) return <p className="muted" role="status">Загружаем перечень мероприятий…</p>;
  if (events.isError) return <Alert tone="error" title="Перечень мероприятий не загрузился">{events.error.message}</Alert>;
  if (events.data.events.length === 0) {
    return (
      <EmptyState title="Сканов пока нет">
        <p>Здесь появится перечень мероприятий, по которым производилась загрузка отсканированных бланков.</p>
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title" className="completeness__subtitle">
        Мероприятия
      </h2>
      <div className="table-scroll" role="region" aria-label="Мероприятия" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Мероприятие</th>
              <th scope="col">Дата</th>
              <th scope="col" className="completeness__num">Точек проведения</th>
              <th scope="col" className="completeness__num">Загружено бланков</th>
              <th scope="col" className="completeness__num">С дублями</th>
              <th scope="col" className="completeness__num">Нераспознанных сканов</th>
              <th scope="col">Протоколы до</th>
            </tr>
          </thead>
          <tbody>
            {events.data.events.map((event) => (
              <tr key={event.code}>
                <th scope="row">
                  <Link to={`/completeness?event=${encodeURIComponent(event.code)}`}>{event.title}</Link>
                  <span className="tag">{event.code}</span>
                </th>
                <td className="table__nowrap">{formatDay(event.date)}</td>
                <td className="completeness__num">{n(event.schools)}</td>
                <td className="completeness__num">
                  {n(event.scannedBlanks)} из {n(event.blanks)} ({percent(event.scannedBlanks, event.blanks)})
                </td>
                <td className="completeness__num">{event.schoolsWithDuplicates > 0 ? <span className="completeness__red">{n(event.schoolsWithDuplicates)} точек</span> : '0'}</td>
                <td className="completeness__num">{n(event.unrecognized)}</td>
                <td className="table__nowrap">{formatDateTime(event.protocolDueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
