import { UNRECOGNIZED_REASON_TEXT } from '@collector/contracts';
import type { Scan } from '@collector/contracts';
import { useId, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { formatDateTime } from '../../../shared/format/format-date.ts';
import { Link, navigate, useLocation } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useUploadInfo, useUploadScans } from '../api/get-upload-scans.ts';
import { formatNumber, imageUrl } from './format-scan.ts';
import { ScanViewer } from './scan-viewer.tsx';
import './scans.css';

/** The upload detail of the instruction: counts, «НЕРАСПОЗНАННЫЕ СКАНЫ», «Распознанные сканы по номеру работы». */
export function UploadScansPage({ uploadId }: { uploadId: string }) {
  useDocumentTitle('Список сканов в загруженном архиве');
  const { searchParams } = useLocation();
  const openScanId = searchParams.get('scan');
  const list = useUploadScans(uploadId);
  const info = useUploadInfo(uploadId);
  const [notice, setNotice] = useState<string | null>(null);
  const unrecognizedId = useId();
  const kitsId = useId();

  const open = (scanId: string | null) => navigate(`/uploads/${encodeURIComponent(uploadId)}${scanId ? `?scan=${encodeURIComponent(scanId)}` : ''}`, { replace: openScanId !== null && scanId !== null });

  if (list.isPending) return <p role="status">Загрузка списка сканов…</p>;
  if (list.isError) {
    return (
      <div className="page">
        <h1 className="page__title">Список сканов в загруженном архиве</h1>
        <Alert tone="error">{errorMessage(list.error)}</Alert>
        <p>
          <Link to="/uploads">К списку загрузок</Link>
        </p>
      </div>
    );
  }
  const { scans, counts, kits } = list.data;
  const unrecognized = scans.filter((s) => s.status === 'unrecognized');
  const byId = new Map(scans.map((s) => [s.id, s]));
  const openScan = openScanId ? byId.get(openScanId) : undefined;

  return (
    <div className="page scans-page">
      <p>
        <Link to="/uploads">← К списку загрузок</Link>
      </p>
      {/* focusable from script: where the focus goes when the viewer closes and what opened it is gone */}
      <h1 className="page__title" tabIndex={-1}>
        Список сканов в загруженном архиве
      </h1>
      {info.data ? (
        <p className="page__lead">
          {info.data.fileName} · <time dateTime={info.data.createdAt}>{formatDateTime(info.data.createdAt)}</time>
        </p>
      ) : null}
      <p className="scans-page__counts" data-testid="scan-counts">
        всего: {formatNumber(counts.total)} распознано: {formatNumber(counts.recognized)} нераспознано: {formatNumber(counts.unrecognized)}
      </p>
      {counts.unrecognized > 0 ? (
        <Alert tone="info">Нераспознанные штрихкоды делают невозможным дальнейшую обработку бланков: исправьте или удалите каждый нераспознанный скан.</Alert>
      ) : (
        <Alert tone="success">Все сканы этой загрузки распознаны.</Alert>
      )}
      {notice ? <Alert tone="info">{notice}</Alert> : null}

      <section aria-labelledby={unrecognizedId} className="scans-section">
        <div className="scans-section__head">
          <h2 id={unrecognizedId}>
            НЕРАСПОЗНАННЫЕ СКАНЫ <span className="badge">{formatNumber(unrecognized.length)}</span>
          </h2>
          {unrecognized.length > 0 ? (
            <Button variant="primary" onClick={() => open(unrecognized[0]?.id ?? null)}>
              Исправить по очереди
            </Button>
          ) : null}
        </div>
        {unrecognized.length === 0 ? (
          <p className="muted">Нераспознанных сканов нет.</p>
        ) : (
          <ul className="thumbs">
            {unrecognized.map((scan) => (
              <li key={scan.id}>
                <UnrecognizedThumb scan={scan} onOpen={() => open(scan.id)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby={kitsId} className="scans-section">
        <h2 id={kitsId}>
          Распознанные сканы по номеру работы <span className="badge">{formatNumber(kits.length)}</span>
        </h2>
        {kits.length === 0 ? (
          <p className="muted">Распознанных сканов пока нет.</p>
        ) : (
          <ul className="kits">
            {kits.map((kit) => {
              const present = kit.positions.filter((p) => p.scanIds.length > 0).length;
              return (
                <li key={kit.kitNumber} className="kit">
                  <p className="kit__title">
                    <strong>#{kit.kitNumber}</strong> <span className="muted">бланков: {formatNumber(present)} из {formatNumber(kit.slots)}</span>
                  </p>
                  <ol className="kit__slots" aria-label={`Комплект ${kit.kitNumber}`}>
                    {kit.positions.map((slot) => {
                      const first = slot.scanIds[0];
                      return (
                        <li key={slot.position} className={`kit__slot ${first ? 'kit__slot--present' : 'kit__slot--missing'}`}>
                          {first ? (
                            <button type="button" className="kit__slot-button" onClick={() => open(first)}>
                              <span className="visually-hidden">Бланк </span>
                              {slot.position}
                              <span aria-hidden="true"> ✓{slot.scanIds.length > 1 ? ` ×${slot.scanIds.length}` : ''}</span>
                              <span className="visually-hidden">
                                {` комплекта ${kit.kitNumber}: ${slot.blankNumber}${slot.scanIds.length > 1 ? ', дубль' : ''}`}
                              </span>
                            </button>
                          ) : (
                            <span>
                              {slot.position} -<span className="visually-hidden"> нет скана</span>
                            </span>
                          )}
                        </li>
                      );
                    })}
                  </ol>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {openScan ? (
        <ScanViewer
          key="viewer"
          uploadId={uploadId}
          scan={openScan}
          queue={unrecognized.map((s) => s.id)}
          onNavigate={(id) => open(id)}
          onClose={() => open(null)}
          onNotice={setNotice}
        />
      ) : null}
    </div>
  );
}

function UnrecognizedThumb({ scan, onOpen }: { scan: Scan; onOpen: () => void }) {
  const reason = scan.reason ? UNRECOGNIZED_REASON_TEXT[scan.reason] : 'номер бланка не распознан';
  return (
    <button type="button" className="thumb" onClick={onOpen}>
      <img src={imageUrl(scan.id, scan.version, scan.rotation, true)} alt="" width={120} height={170} loading="lazy" />
      <span className="thumb__name">{scan.entryName}</span>
      <span className="thumb__reason">{reason}</span>
    </button>
  );
}
