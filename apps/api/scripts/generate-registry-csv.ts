/**
 * Writes a synthetic registry CSV for load checks of the import:
 *   node --import tsx scripts/generate-registry-csv.ts ROWS OUT.csv
 * 4 events, schools in 10 regions, 30 kits a school, 4 pages a kit; every row distinct and valid.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [rowsArg, out] = process.argv.slice(2);
const rows = Number(rowsArg);
if (!Number.isInteger(rows) || rows <= 0 || !out) {
  console.error('usage: generate-registry-csv.ts ROWS OUT.csv');
  process.exit(1);
}

const EVENTS = [
  ['VPR-SPO-2026-1', 'ВПР СПО 2026, первый курс', '2026-04-15'],
  ['VPR-SPO-2026-2', 'ВПР СПО 2026, второй курс', '2026-04-16'],
  ['NIKO-2026', 'НИКО 2026', '2026-10-21'],
  ['MON-SPO-2026', 'Мониторинг СПО 2026', '2026-11-12'],
] as const;
const PAGES = 4;
const KITS_PER_SCHOOL = 30;

const stream = createWriteStream(out);
const write = async (text: string) => {
  if (!stream.write(text)) await once(stream, 'drain');
};
await write('\uFEFFevent_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number\r\n');
for (let i = 0; i < rows; i += 1) {
  const kit = Math.floor(i / PAGES);
  const position = (i % PAGES) + 1;
  const event = EVENTS[kit % EVENTS.length] ?? EVENTS[0];
  const school = Math.floor(kit / KITS_PER_SCHOOL);
  const region = String(10 + (school % 10));
  const kitNumber = String(100000 + (kit % 900000)).padStart(6, '0');
  const blank = `2003${String(i).padStart(13, '0')}`;
  await write(`${event[0]},"${event[1]}",${event[2]},${region},sch${region}${String(school).padStart(5, '0')},${kitNumber},${String(position)},${blank}\r\n`);
}
stream.end();
await once(stream, 'finish');
