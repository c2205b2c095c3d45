import { EmptyState } from '../../../shared/ui/empty-state.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';

export function CompletenessPage() {
  useDocumentTitle('Проверка комплектности сданных материалов');
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Проверка комплектности сданных материалов</h1>
          <p className="page__lead">Убедитесь, что все бланки были успешно загружены и распознаны.</p>
        </div>
      </div>
      <EmptyState title="Здесь появится перечень мероприятий">
        <p>Откроется перечень мероприятий, по которым производилась загрузка отсканированных бланков.</p>
        <p>
          Выбрав мероприятие, вы увидите точки проведения с числом сканов — всего, правильно заполненных, с дублями и пустых —
          а в каждой школе комплекты бланков: где бланк загружен и где его не хватает («-»).
        </p>
      </EmptyState>
    </div>
  );
}
