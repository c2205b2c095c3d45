import { navigate, useLocation } from '../../../shared/router/router.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { EventList } from './event-list.tsx';
import { SchoolList } from './school-list.tsx';
import '../completeness.css';

/**
 * «Проверка комплектности сданных материалов»: the events with uploads; an event opens its schools; a school row
 * expands into its kits. Where the person is lives in the address (?event=…&school=…), so back and links work.
 */
export function CompletenessPage() {
  useDocumentTitle('Проверка комплектности сданных материалов');
  const { searchParams } = useLocation();
  const event = searchParams.get('event') ?? '';
  const school = searchParams.get('school') ?? '';
  const openSchool = (code: string) => {
    const params = new URLSearchParams({ event });
    if (code !== '') params.set('school', code);
    navigate(`/completeness?${params.toString()}`, { replace: true });
  };
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Проверка комплектности сданных материалов</h1>
          <p className="page__lead">
            Убедитесь, что в каждой графе каждого комплекта есть загруженный бланк. Если в графе стоит «-», отсканируйте и загрузите
            бланк (или весь комплект бланков) заново.
          </p>
        </div>
      </div>
      {event === '' ? <EventList /> : <SchoolList event={event} openSchool={school} onOpenSchool={openSchool} />}
    </div>
  );
}
