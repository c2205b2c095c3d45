import { useEffect, useState } from 'react';
import { Button } from './button.tsx';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies a secret to the clipboard and says so; clipboard access can be refused, so that is said too. */
export function CopyButton({ text, label = 'Копировать' }: { text: string; label?: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 4000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy">
      <Button size="small" onClick={() => void copy()}>
        {label}
      </Button>
      <span className="copy__state" role="status">
        {state === 'copied' ? 'Скопировано' : state === 'failed' ? 'Не удалось скопировать — выделите пароль вручную' : ''}
      </span>
    </span>
  );
}
