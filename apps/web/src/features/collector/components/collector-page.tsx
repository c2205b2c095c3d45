import { EmptyState } from '../../../shared/ui/empty-state.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';

/* The checklists are the scan-centre instruction's own words, so people see the rules they already know. */
const STEP_ONE = [
  'отсканируйте бланки постранично с разрешением 200dpi в формат JPG или TIFF с LZW компрессией (tiff обрабатывается быстрее)',
  'сканируйте пакет из одной аудитории в одну папку',
  'полученную папку заархивируйте в формат ZIP',
  'при желании архив можно защитить паролем',
  'архив внутри архива или папки, содержащие архивы недопустимы',
  'архивы формата 7z, RAR, состоящие из нескольких частей и пр. недопустимы',
  'изображения формата PDF, BMP и пр. недопустимы',
  'переходите к шагу 2',
] as const;

const STEP_TWO = [
  'для загрузки каждого архива, полученного в Шаге 1, воспользуйтесь кнопкой "Выберите файл размером до 250 МБ".',
  'загрузите каждый архив, введите в соседнее окошко пароль, которым защищен архив (в случае, если архив защищен паролем)',
  'в списке загрузок появятся загруженные вами архивы',
  'убедитесь, что для вашей загрузки добавились новые результаты или сканы, вам должно отобразиться количество новых сканов!',
  'электронные протоколы проведения сдаются в личный кабинет не позднее, чем через сутки после проведения исследования',
  'проверьте комплектность загруженных материалов и их соответствие сданным протоколам проведения',
] as const;

export function CollectorPage() {
  useDocumentTitle('Коллектор');
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Коллектор</h1>
          <p className="page__lead">
            Система сбора результатов: сюда загружают отсканированные бланки с ответами участников исследования и проверяют
            комплектность сданных материалов.
          </p>
        </div>
      </div>
      <EmptyState title="Сводка появится после первых загрузок">
        <p>
          Здесь будет видно, сколько сканов загружено и распознано, сколько бланков ждут ввода номера вручную и по каким
          точкам проведения не хватает бланков.
        </p>
      </EmptyState>
      <div className="steps">
        <section className="panel" aria-labelledby="step-one">
          <h2 id="step-one" className="panel__title">
            ШАГ 1 для загрузки сканов бланковых работ
          </h2>
          <ul className="checklist">
            {STEP_ONE.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="step-two">
          <h2 id="step-two" className="panel__title">
            ШАГ 2
          </h2>
          <ul className="checklist">
            {STEP_TWO.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
