import { useEffect } from 'react';

/** Each screen names itself in the browser tab and history, ending with the product name. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title === 'Коллектор' ? title : `${title} — Коллектор`;
  }, [title]);
}
