import { formatDateTime } from '../../../shared/format/format-date.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDuplicates } from '../api/get-duplicates.ts';
import { useKeepDuplicate } from '../api/keep-duplicate.ts';

/** «С дублями»: each blank's scans side by side (image, upload, time); keeping one removes the others. */
export function DuplicatesPanel({ event, school }: { event: string; school: string }) {
  const duplicates = useDuplicates(event, school, true);
  const keep = useKeepDuplicate(school);
  return (
    <section className="completeness-section" aria-labelledby={`dup-${school}`}>
      <h3 id={`dup-${school}`} className="completeness-section__title">
        Дубли: оставьте один скан каждого бланка
      </h3>
      {keep.isError ? <Alert tone="error" title="Не удалось оставить скан">{keep.error.message}</Alert> : null}
      {duplicates.isError ? <Alert tone="error" title="Дубли не загрузились">{duplicates.error.message}</Alert> : null}
      {duplicates.data?.groups.map((group) => (
        <div key={group.blankNumber} className="duplicate-group" role="group" aria-label={`Бланк ${group.blankNumber}`}>
          <p className="duplicate-group__title">
            Комплект {group.kitNumber}, бланк {group.position} — {group.blankNumber}
          </p>
          <div className="duplicate-group__scans">
            {group.scans.map((scan, index) => (
              <figure key={scan.id} className="scan-card">
                <a href={`/api/scans/${scan.id}/image`} target="_blank" rel="noreferrer">
                  <img src={`/api/scans/${scan.id}/image`} alt={`Скан ${index + 1} бланка ${group.blankNumber}`} loading="lazy" className="scan-card__image" />
                </a>
                <figcaption className="scan-card__caption">
                  <span>{scan.uploadFileName}</span>
                  <span className="muted">{scan.entryName}</span>
                  <span className="muted">{formatDateTime(scan.createdAt)}</span>
                  <Button size="small" variant="primary" busy={keep.isPending && keep.variables === scan.id} busyLabel="Сохраняем…" onClick={() => keep.mutate(scan.id)}>
                    Оставить этот скан
                  </Button>
                </figcaption>
              </figure>
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
