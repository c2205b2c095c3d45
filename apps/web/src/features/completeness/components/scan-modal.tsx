import { useQueryClient } from '@tanstack/react-query';
// «Просмотр отсканированного бланка» is the scans feature's; a cell of the grid opens the same viewer
import { ScanViewer } from '../../scans/components/scan-viewer.tsx';
import '../../scans/components/scans.css';
import { Alert } from '../../../shared/ui/alert.tsx';
import { completenessKeys } from '../api/completeness-keys.ts';
import { useScan } from '../api/get-scan.ts';

/** The viewer for one blank's scans (a duplicate's scans are its queue); closing it recounts the screen. */
export function ScanModal({ scanIds, scanId, onNavigate, onClose, onNotice }: { scanIds: readonly string[]; scanId: string; onNavigate: (id: string) => void; onClose: () => void; onNotice: (text: string) => void }) {
  const scan = useScan(scanId);
  const client = useQueryClient();
  const close = () => {
    void client.invalidateQueries({ queryKey: completenessKeys.all });
    onClose();
  };
  if (scan.isError) return <Alert tone="error" title="Скан не открылся">{scan.error.message}</Alert>;
  if (!scan.data) return null;
  return <ScanViewer uploadId={scan.data.uploadId} scan={scan.data} queue={scanIds} onNavigate={onNavigate} onClose={close} onNotice={onNotice} />;
}
