import { useEffect, useRef, useState } from 'react';
import type { QueueItem } from '../hooks/upload-queue.ts';

const STATE_WORDS: Partial<Record<QueueItem['state'], string>> = {
  blocked: 'не отправлен, см. причину',
  waiting: 'ждёт очереди',
  packing: 'собираем архив из папки',
  sending: 'отправка началась',
  submitting: 'файл получен, передаём на обработку',
  sent: 'отправлен, обработка — в списке загрузок',
  failed: 'ошибка отправки',
};

/**
 * One polite live region for the whole queue: state changes and every quarter of the way, not each
 * progress event, so a screen reader is told what matters without being flooded.
 */
export function QueueAnnouncer({ items }: { items: readonly QueueItem[] }) {
  const [message, setMessage] = useState('');
  const seen = useRef(new Map<string, string>());

  useEffect(() => {
    const said: string[] = [];
    for (const item of items) {
      const quarter = item.state === 'sending' && item.sizeBytes > 0 ? Math.floor((item.bytesSent / item.sizeBytes) * 4) : -1;
      const mark = `${item.state}:${quarter}`;
      if (seen.current.get(item.key) === mark) continue;
      seen.current.set(item.key, mark);
      if (item.state === 'sending' && quarter > 0 && quarter < 4) said.push(`${item.name}: отправлено ${quarter * 25} %`);
      else {
        const words = STATE_WORDS[item.state];
        if (words !== undefined) said.push(`${item.name}: ${words}`);
      }
    }
    if (said.length > 0) setMessage(said.join('. '));
  }, [items]);

  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
