import type { ReactNode } from 'react';

/**
 * The frame of the signed-out screens. The login page's heading is the product name itself
 * («Коллектор», as in the instruction); the other screens keep the name above their own heading.
 */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const isProductTitle = title === 'Коллектор';
  return (
    <main className="auth">
      <div className="auth__card">
        {isProductTitle ? null : <p className="auth__brand">Коллектор</p>}
        <h1 className={isProductTitle ? 'auth__title auth__title--product' : 'auth__title'}>{title}</h1>
        {isProductTitle ? <p className="auth__subtitle">Система сбора результатов</p> : null}
        {children}
      </div>
    </main>
  );
}
