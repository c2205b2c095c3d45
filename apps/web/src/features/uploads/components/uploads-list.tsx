import type { Upload } from '@collector/contracts';
import { UploadCard } from './upload-card.tsx';

/** «Список загрузок», newest first as the server sends it. */
export function UploadsList({ uploads, showRegion }: { uploads: readonly Upload[]; showRegion: boolean }) {
  if (uploads.length === 0) {
    return <p className="muted">Загрузок пока нет. Выберите архив выше — он появится здесь.</p>;
  }
  return (
    <ol className="upload-list" aria-label="Загрузки">
      {uploads.map((upload) => (
        <UploadCard key={upload.id} upload={upload} showRegion={showRegion} />
      ))}
    </ol>
  );
}
