import type { User } from '@collector/contracts';
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useLogout } from '../features/auth/api/logout.ts';
import { errorMessage } from '../shared/api/api-error.ts';
import { regionLabel, roleLabel } from '../shared/format/user-labels.ts';
import { Link, navigate, useLocation } from '../shared/router/router.tsx';
import { Alert } from '../shared/ui/alert.tsx';
import { Button } from '../shared/ui/button.tsx';
import { TABS } from './tabs.ts';

export function SignedInLayout({ user, children }: { user: User; children: ReactNode }) {
  const { pathname } = useLocation();
  const signOut = useLogout();
  const mainRef = useRef<HTMLElement>(null);
  const shownPathname = useRef(pathname);

  // After moving between tabs, focus goes to the new page's heading so screen readers announce it.
  // Comparing paths (not counting renders) keeps the first load, and StrictMode's re-run, alone.
  useEffect(() => {
    if (shownPathname.current === pathname) return;
    shownPathname.current = pathname;
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [pathname]);

  const tabs = TABS.filter((tab) => tab.adminOnly !== true || user.role === 'admin');
  const displayName = user.fullName.trim() === '' ? user.login : user.fullName;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Перейти к содержимому
      </a>
      <header className="topbar">
        <div className="topbar__row topbar__row--account">
          <p className="topbar__product">Система сбора результатов</p>
          <div className="account">
            <p className="account__who">
              <span className="account__name" title={`${displayName}, ${roleLabel(user.role)}`}>
                {displayName}
              </span>
              <span className="account__meta">{displayName === user.login ? roleLabel(user.role) : user.login}</span>
              <span className="account__region">{regionLabel(user.regionCode)}</span>
            </p>
            <Button
              size="small"
              busy={signOut.isPending}
              busyLabel="Выходим…"
              onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/login', { replace: true }) })}
            >
              Выйти
            </Button>
          </div>
        </div>
        <nav className="topbar__row tabs" aria-label="Разделы">
          <ul className="tabs__list">
            {tabs.map((tab) => {
              const current = tab.path === pathname;
              return (
                <li key={tab.path} className={tab.adminOnly === true ? 'tabs__item tabs__item--admin' : 'tabs__item'}>
                  <Link to={tab.path} className="tabs__link" aria-current={current ? 'page' : undefined}>
                    {tab.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      </header>
      <main id="main" className="content" ref={mainRef}>
        {signOut.isError ? <Alert tone="error">{errorMessage(signOut.error)}</Alert> : null}
        {children}
      </main>
    </div>
  );
}
