import type { Upload } from '@collector/contracts';
import { describe, expect, it } from 'vitest';
import { hasActiveUploads } from './get-uploads.ts';

const row = (status: Upload['status'], passwordNeeded = false) => ({ status, passwordNeeded }) as Upload;

describe('hasActiveUploads', () => {
  it('keeps the list polling while the server receives or processes, and stops once everything has settled', () => {
    expect(hasActiveUploads([row('done'), row('processing')])).toBe(true);
    expect(hasActiveUploads([row('receiving')])).toBe(true);
    expect(hasActiveUploads([row('queued')])).toBe(true);
    expect(hasActiveUploads([row('done'), row('rejected'), row('failed')])).toBe(false);
    // waiting for the person to press «Отправить» is not something to watch
    expect(hasActiveUploads([row('receiving', true), row('queued', true)])).toBe(false);
    expect(hasActiveUploads(undefined)).toBe(false);
  });
});
