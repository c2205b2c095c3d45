/** The admin the API seeds on its first start; the web server in playwright.config.ts passes these. */
export const ADMIN_LOGIN = 'admin';
export const ADMIN_PASSWORD = 'E2e-admin-password-2026';
