import { EmptyState } from '../../../shared/ui/empty-state.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';

export function UploadsPage() {
  useDocumentTitle('Загрузка результатов');
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Загрузка результатов</h1>
          <p className="page__lead">ZIP-архивы со сканами бланков: по одному архиву на аудиторию, до 250 МБ каждый.</p>
        </div>
      </div>
      <EmptyState title="Здесь появятся ваши загрузки">
        <p>
          На этой вкладке будет кнопка «Выберите файл размером до 250 МБ» и рядом поле для пароля архива, если архив им
          защищён.
        </p>
        <p>
          Ниже — список загрузок: по каждому архиву будет видно, сколько в нём сканов всего, сколько распознано и не
          распознано и сколько новых сканов добавилось.
        </p>
      </EmptyState>
    </div>
  );
}
