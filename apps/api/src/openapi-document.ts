import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { PrismaClient } from './generated/prisma/client.ts';

export const OPENAPI_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../openapi.json');

/** The OpenAPI document as committed: built from the routes, with settings that do not vary by machine. */
export async function renderOpenApi(): Promise<string> {
  // registering routes never touches the database: this client is never connected
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgresql://unused@127.0.0.1:9/unused' }) });
  const config = loadConfig({ NODE_ENV: 'test', OIDC_ISSUER: 'https://oidc.example', OIDC_CLIENT_ID: 'collector', WEB_DIST_DIR: '/nonexistent' });
  const app = await buildApp({ config, database: { kind: 'pglite', prisma, close: async () => {} }, logger: false, processUploads: false });
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return doc;
}
