export * from './errors.ts';
export * from './options.ts';
export type * from './page/types.ts';
