/** Regenerates the committed apps/api/openapi.json from the routes' zod schemas: `pnpm --filter @collector/api openapi`. */
import { writeFile } from 'node:fs/promises';
import { renderOpenApi, OPENAPI_FILE } from '../src/openapi-document.ts';

await writeFile(OPENAPI_FILE, await renderOpenApi());
console.log(`wrote ${OPENAPI_FILE}`);
