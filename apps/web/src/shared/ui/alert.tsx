import type { ReactNode } from 'react';

type AlertProps = { tone: 'error' | 'success' | 'info'; title?: string; children: ReactNode };

/**
 * Errors use role="alert" so they are announced as soon as they appear; calmer messages use
 * role="status", which waits for the screen reader to finish what it is saying.
 */
export function Alert({ tone, title, children }: AlertProps) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title === undefined ? null : <p className="alert__title">{title}</p>}
      <div className="alert__body">{children}</div>
    </div>
  );
}
