import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApi } from '../src/openapi-document.ts';

describe('the committed OpenAPI document', () => {
  it('matches the routes (run `pnpm --filter @collector/api openapi` after changing a contract)', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(await renderOpenApi()).toBe(committed);
  });

  it('describes the DESIGN.md paths with their error responses', async () => {
    const doc = JSON.parse(await renderOpenApi()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/users', '/api/users/{id}', '/api/health']));
    expect(Object.keys(doc.paths['/api/auth/login']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '429']));
  });
});
