import { useEffect, useRef } from 'react';
import { Button } from '../../../shared/ui/button.tsx';
import { CopyButton } from '../../../shared/ui/copy-button.tsx';

export type IssuedPassword = { login: string; password: string; reason: 'created' | 'reset' };

/**
 * A generated password exists only in this component's props: it is never cached or stored,
 * and once the admin closes the notice it cannot be shown again (the server keeps only a hash).
 */
export function OneTimePassword({ issued, onDone }: { issued: IssuedPassword; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Focus moves here so keyboard and screen-reader users notice the secret they must pass on.
  useEffect(() => headingRef.current?.focus(), [issued]);

  return (
    <section className="secret" aria-labelledby="one-time-password-title">
      <h2 id="one-time-password-title" className="secret__title" tabIndex={-1} ref={headingRef}>
        {issued.reason === 'created' ? `Пользователь ${issued.login} создан` : `Пароль пользователя ${issued.login} сброшен`}
      </h2>
      <p>Пароль показывается только сейчас. Скопируйте его и передайте пользователю защищённым способом.</p>
      <p className="secret__row">
        <span className="secret__label">Пароль:</span>
        <code className="secret__value" data-testid="generated-password">
          {issued.password}
        </code>
        <CopyButton text={issued.password} />
      </p>
      <Button variant="primary" size="small" onClick={onDone}>
        Готово, пароль передан
      </Button>
    </section>
  );
}
