import { useEffect, useRef, useState } from 'react';
import type { PointerEvent } from 'react';
import { Button } from '../../../shared/ui/button.tsx';

const STEPS = [1, 1.5, 2, 3, 4] as const;

/**
 * The page with zoom and pan: the wheel and the buttons (or + and −) zoom, dragging or the arrow keys (when the page
 * has focus) move it. At 1 the page fits the width of the viewer.
 */
export function ImageViewport({ src, alt, zoomStep, onZoomStep }: { src: string; alt: string; zoomStep: number; onZoomStep: (step: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  const [loaded, setLoaded] = useState(false);
  const zoom = STEPS[zoomStep] ?? 1;

  useEffect(() => setLoaded(false), [src]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      onZoomStep(Math.max(0, Math.min(STEPS.length - 1, zoomStep + (event.deltaY < 0 ? 1 : -1))));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomStep, onZoomStep]);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const el = box.current;
    if (!el) return;
    drag.current = { x: event.clientX, y: event.clientY, left: el.scrollLeft, top: el.scrollTop };
    el.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const el = box.current;
    const start = drag.current;
    if (!el || !start) return;
    el.scrollLeft = start.left - (event.clientX - start.x);
    el.scrollTop = start.top - (event.clientY - start.y);
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  return (
    <div className="viewport">
      <div className="viewport__tools" role="group" aria-label="Масштаб">
        <Button size="small" onClick={() => onZoomStep(Math.max(0, zoomStep - 1))} disabled={zoomStep === 0} aria-label="Уменьшить (−)">
          −
        </Button>
        <span className="viewport__zoom" aria-live="polite">
          {Math.round(zoom * 100)} %
        </span>
        <Button size="small" onClick={() => onZoomStep(Math.min(STEPS.length - 1, zoomStep + 1))} disabled={zoomStep === STEPS.length - 1} aria-label="Увеличить (+)">
          +
        </Button>
        <Button size="small" onClick={() => onZoomStep(0)} disabled={zoomStep === 0}>
          По ширине
        </Button>
      </div>
      <div
        ref={box}
        className="viewport__page"
        tabIndex={0}
        role="region"
        aria-label="Изображение бланка: колёсико мыши меняет масштаб, перетаскивание и стрелки двигают страницу"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {!loaded ? <p className="viewport__loading">Загрузка изображения…</p> : null}
        <img src={src} alt={alt} style={{ width: `${zoom * 100}%` }} draggable={false} onLoad={() => setLoaded(true)} />
      </div>
    </div>
  );
}
