import type { KitListResponse, KitSlotState } from '@collector/contracts';
import { SLOT_TEXT } from '../utils/format.ts';

const MARK: Record<KitSlotState['state'], string> = { filled: '✓', empty: '○', duplicate: '×', missing: '-' };

/**
 * «Номер комплекта» × «Бланки»: one column per blank position; a mark where a blank arrived, «-» where it did not. A cell
 * opens «Просмотр отсканированного бланка» (a duplicate: its scans in turn); its address is the scan's image.
 */
export function KitGrid({ data, onOpen }: { data: KitListResponse; onOpen: (slot: KitSlotState) => void }) {
  const positions = Array.from({ length: data.positions }, (_, i) => i + 1);
  if (data.kits.length === 0) return <p className="muted">Таких бланков нет.</p>;
  return (
    <div className="table-scroll" role="region" aria-label={`Комплекты точки проведения ${data.school.schoolCode}`} tabIndex={0}>
      <table className="table kit-grid">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Номер комплекта
            </th>
            <th scope="colgroup" colSpan={data.positions}>
              Бланки
            </th>
          </tr>
          <tr>
            {positions.map((p) => (
              <th key={p} scope="col" className="kit-grid__pos">
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.kits.map((kit) => (
            <tr key={kit.kitNumber}>
              <th scope="row" className="table__nowrap">
                {kit.kitNumber}
              </th>
              {positions.map((p) => {
                const slot = kit.slots.find((s) => s.position === p);
                return (
                  <td key={p} className={`kit-grid__cell${slot ? ` kit-grid__cell--${slot.state}` : ''}`}>
                    {slot ? <SlotMark slot={slot} onOpen={onOpen} /> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="kit-grid__legend muted">
        ✓ — {SLOT_TEXT.filled}, ○ — {SLOT_TEXT.empty}, ×2 — {SLOT_TEXT.duplicate} (два скана одного бланка), «-» — бланк не загружен
      </p>
    </div>
  );
}

function SlotMark({ slot, onOpen }: { slot: KitSlotState; onOpen: (slot: KitSlotState) => void }) {
  const label = `Бланк ${slot.position}, ${slot.blankNumber}: ${SLOT_TEXT[slot.state]}${slot.scanIds.length > 1 ? `, сканов: ${slot.scanIds.length}` : ''}`;
  const first = slot.scanIds[0];
  if (first === undefined) {
    return (
      <span role="img" title={label} aria-label={label}>
        -
      </span>
    );
  }
  return (
    <a
      href={`/api/scans/${first}/image`}
      target="_blank"
      rel="noreferrer"
      title={label}
      aria-label={label}
      className="kit-grid__mark"
      onClick={(event) => {
        // a plain click opens the viewer; a middle or modified click still opens the image in a new tab
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        onOpen(slot);
      }}
    >
      {MARK[slot.state]}
      {slot.state === 'duplicate' ? slot.scanIds.length : null}
    </a>
  );
}
