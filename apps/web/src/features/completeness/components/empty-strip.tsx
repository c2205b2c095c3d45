import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useEmptyScans } from '../api/get-empty-scans.ts';
import { useReviewFill } from '../api/review-fill.ts';

const inkFormat = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 3 });

/** The «Пустые» as a strip, the most ink first: confirm them all, or mark a page that has handwriting as filled. */
export function EmptyStrip({ event, school }: { event: string; school: string }) {
  const empties = useEmptyScans(event, school, true);
  const review = useReviewFill();
  const unreviewed = empties.data?.scans.filter((s) => !s.reviewed).map((s) => s.id) ?? [];
  return (
    <section className="completeness-section" aria-labelledby={`empty-${school}`}>
      <h3 id={`empty-${school}`} className="completeness-section__title">
        Пустые бланки
      </h3>
      <p className="muted">Сначала — страницы, где больше всего чернил: среди них вероятнее заполненные.</p>
      {review.isError ? <Alert tone="error" title="Отметка не сохранилась">{review.error.message}</Alert> : null}
      {empties.isError ? <Alert tone="error" title="Пустые бланки не загрузились">{empties.error.message}</Alert> : null}
      {unreviewed.length > 0 ? (
        <Button variant="primary" busy={review.isPending} busyLabel="Сохраняем…" onClick={() => review.mutate({ scanIds: unreviewed, fill: 'empty' })}>
          Подтвердить пустые ({unreviewed.length})
        </Button>
      ) : empties.data ? (
        <p role="status">Все пустые бланки подтверждены.</p>
      ) : null}
      <ul className="empty-strip">
        {empties.data?.scans.map((scan) => (
          <li key={scan.id} className="scan-card">
            <a href={`/api/scans/${scan.id}/image`} target="_blank" rel="noreferrer">
              <img src={`/api/scans/${scan.id}/image`} alt={`Бланк ${scan.blankNumber}`} loading="lazy" className="scan-card__image" />
            </a>
            <div className="scan-card__caption">
              <span>
                {scan.kitNumber}, бланк {scan.position}
              </span>
              <span className="muted">чернила: {inkFormat.format(scan.inkScore)}{scan.reviewed ? ', подтверждён' : ''}</span>
              <Button size="small" onClick={() => review.mutate({ scanIds: [scan.id], fill: 'filled' })}>
                Заполнен
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
