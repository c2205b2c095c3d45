export * from './common.ts';
export * from './errors.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './health.ts';
export * from './uploads.ts';
export * from './scans.ts';
