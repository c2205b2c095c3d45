import type { ButtonHTMLAttributes, ReactNode } from 'react';

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'className'> & {
  variant?: 'primary' | 'secondary' | 'quiet' | 'danger';
  size?: 'normal' | 'small';
  wide?: boolean;
  /** Shown instead of the label while a request is running; the button stays focusable. */
  busyLabel?: string;
  busy?: boolean;
  children: ReactNode;
};

export function Button({
  variant = 'secondary',
  size = 'normal',
  wide = false,
  busy = false,
  busyLabel,
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  const classes = ['button', `button--${variant}`, size === 'small' ? 'button--small' : '', wide ? 'button--wide' : '']
    .filter((name) => name !== '')
    .join(' ');
  return (
    <button type={type} className={classes} aria-busy={busy || undefined} aria-disabled={busy || undefined} {...rest}>
      {busy && busyLabel !== undefined ? busyLabel : children}
    </button>
  );
}
