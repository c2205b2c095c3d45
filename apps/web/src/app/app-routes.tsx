import type { User } from '@collector/contracts';
import type { ReactNode } from 'react';
import { useMe } from '../features/auth/api/get-me.ts';
import { ForgotPasswordPage } from '../features/auth/components/forgot-password-page.tsx';
import { LoginPage } from '../features/auth/components/login-page.tsx';
import { ResetPasswordPage } from '../features/auth/components/reset-password-page.tsx';
import { safeNextPath } from '../features/auth/components/sign-in-messages.ts';
import { CollectorPage } from '../features/collector/components/collector-page.tsx';
import { CompletenessPage } from '../features/completeness/components/completeness-page.tsx';
import { RegistryPage } from '../features/registry/components/registry-page.tsx';
import { UploadScansPage } from '../features/scans/components/upload-scans-page.tsx';
import { UploadsPage } from '../features/uploads/components/uploads-page.tsx';
import { UsersPage } from '../features/users/components/users-page.tsx';
import { errorMessage } from '../shared/api/api-error.ts';
import { Link, Redirect, useLocation } from '../shared/router/router.tsx';
import { Alert } from '../shared/ui/alert.tsx';
import { Button } from '../shared/ui/button.tsx';
import { SignedInLayout } from './signed-in-layout.tsx';

const PUBLIC_PAGES: Record<string, () => ReactNode> = {
  '/login': () => <LoginPage />,
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
};

function signedInPage(pathname: string, user: User): ReactNode {
  switch (pathname) {
    case '/':
      return <CollectorPage />;
    case '/uploads':
      return <UploadsPage user={user} />;
    case '/completeness':
      return <CompletenessPage />;
    case '/registry':
      return user.role === 'admin' ? <RegistryPage /> : <NoAccess />;
    case '/users':
      // The server refuses non-admins anyway (403); this spares them a page that can only fail.
      return user.role === 'admin' ? <UsersPage currentUserId={user.id} /> : <NoAccess />;
    default: {
      // «Список сканов в загруженном архиве» of one upload
      const upload = /^\/uploads\/([0-9a-f-]{36})$/i.exec(pathname);
      if (upload?.[1]) return <UploadScansPage uploadId={upload[1]} />;
      return <NotFound />;
    }
  }
}

export function AppRoutes() {
  const { pathname, searchParams } = useLocation();
  const me = useMe();

  if (me.isPending) {
    return (
      <p className="splash" role="status">
        Загрузка…
      </p>
    );
  }
  if (me.isError) {
    return (
      <main className="auth">
        <div className="auth__card">
          <h1 className="auth__title">Коллектор</h1>
          <Alert tone="error">{errorMessage(me.error)}</Alert>
          <Button variant="primary" onClick={() => void me.refetch()}>
            Попробовать ещё раз
          </Button>
        </div>
      </main>
    );
  }

  const user = me.data;
  const publicPage = PUBLIC_PAGES[pathname];
  if (publicPage !== undefined) {
    // A signed-in person who lands on the login page (back button, bookmark) goes where they meant to.
    if (user !== null && pathname === '/login') return <Redirect to={safeNextPath(searchParams.get('next'))} />;
    return publicPage();
  }

  if (user === null) {
    const here = pathname + (searchParams.size > 0 ? `?${searchParams.toString()}` : '');
    return <Redirect to={pathname === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} />;
  }

  return <SignedInLayout user={user}>{signedInPage(pathname, user)}</SignedInLayout>;
}

function NoAccess() {
  return (
    <div className="page">
      <h1 className="page__title">Нет доступа</h1>
      <p className="page__lead">Этот раздел доступен только администратору.</p>
      <p>
        <Link to="/">Перейти на вкладку «Коллектор»</Link>
      </p>
    </div>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1 className="page__title">Страница не найдена</h1>
      <p className="page__lead">Такого адреса в коллекторе нет. Возможно, ссылка устарела или в ней опечатка.</p>
      <p>
        <Link to="/">Перейти на вкладку «Коллектор»</Link>
      </p>
    </div>
  );
}
