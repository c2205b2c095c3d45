/**
 * Creates a new embedded database (PGlite's initdb) in a folder, in a process of its own: `node
 * create-embedded-database.mjs DIR SETTINGS_JSON`. Run by apps/api/src/db/open-database.ts on a server's first start.
 *
 * Why a process of its own: memory. Creating the database takes a process to about 780 MB for some seconds, and a
 * WebAssembly memory never shrinks, so a server that created its database in-process kept tens of MB more for as long
 * as it ran than one that opened an existing database. Here that memory goes back to the system when this exits.
 */
import { PGlite } from '@electric-sql/pglite';

const [dataDir, settings] = process.argv.slice(2);
if (!dataDir) {
  console.error('usage: node create-embedded-database.mjs DIR [SETTINGS_JSON]');
  process.exit(64);
}
const pglite = await PGlite.create(dataDir, { postgresqlconf: settings ? JSON.parse(settings) : [] });
await pglite.close();
