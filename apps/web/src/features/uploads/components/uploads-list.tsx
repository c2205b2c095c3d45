import type { Upload } from '@collector/contracts';
import { UploadCard } from './upload-card.tsx';

/** «Список загрузок», newest first as the server sends it. */
type UploadsListProps = {
  uploads: readonly Upload[];
  showRegion: boolean;
  /** uploads this page is sending or submitting right now: they need nothing from the person */
  handledHere?: ReadonlySet<string>;
};

export function UploadsList({ uploads, showRegion, handledHere = new Set() }: UploadsListProps) {
  if (uploads.length === 0) {
    return <p className="muted">Загрузок пока нет. Выберите архив выше — он появится здесь.</p>;
  }
  return (
    <ol className="upload-list" aria-label="Загрузки">
      {uploads.map((upload) => (
        <UploadCard key={upload.id} upload={upload} showRegion={showRegion} handledHere={handledHere.has(upload.id)} />
      ))}
    </ol>
  );
}
