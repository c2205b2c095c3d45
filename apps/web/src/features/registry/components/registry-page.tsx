import { errorMessage } from '../../../shared/api/api-error.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { EmptyState } from '../../../shared/ui/empty-state.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useRegistrySummary } from '../api/get-registry-summary.ts';
import { RegistryImport } from './registry-import.tsx';
import { EventsTable, SchoolsTable } from './registry-tables.tsx';
import './registry.css';

const countFormat = new Intl.NumberFormat('ru-RU');
const n = (value: number) => countFormat.format(value);

/** «Реестр» (admin): what the scans are matched against, and the CSV import that fills it. */
export function RegistryPage() {
  useDocumentTitle('Реестр');
  const summary = useRegistrySummary();
  const totals = summary.data?.totals;

  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Реестр</h1>
          <p className="page__lead">
            Мероприятия, точки проведения, комплекты и бланки, с которыми сверяются загруженные сканы.
            {totals ? ` Мероприятий: ${n(totals.events)}, точек проведения: ${n(totals.schools)}, комплектов: ${n(totals.kits)}, бланков: ${n(totals.blanks)}.` : ''}
          </p>
        </div>
      </div>

      <RegistryImport />

      {summary.isPending ? (
        <p className="muted" role="status">
          Загружаем реестр…
        </p>
      ) : null}
      {summary.isError ? <Alert tone="error">{errorMessage(summary.error)}</Alert> : null}
      {summary.isSuccess && summary.data.events.length === 0 ? (
        <EmptyState title="Реестр пока пуст">
          <p>Загрузите CSV-файл реестра: после этого здесь появятся мероприятия, точки проведения и число комплектов в них.</p>
        </EmptyState>
      ) : null}
      {summary.isSuccess && summary.data.events.length > 0 ? (
        <>
          <section className="registry-section" aria-labelledby="registry-events">
            <h2 className="registry-section__title" id="registry-events">
              Мероприятия
            </h2>
            <EventsTable events={summary.data.events} />
          </section>
          <section className="registry-section" aria-labelledby="registry-schools">
            <h2 className="registry-section__title" id="registry-schools">
              Регионы и точки проведения
            </h2>
            <SchoolsTable regions={summary.data.regions} schools={summary.data.schools} />
          </section>
        </>
      ) : null}
    </div>
  );
}
