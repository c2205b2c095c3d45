import { RESCAN_RECOMMENDED_SHARE, type EntryCode, type RejectCode, type UnrecognizedReason, type UploadHint, type UploadProblem } from '@collector/contracts';
import {
  createSignatureStore,
  fitToTemplate,
  formTurn,
  learnFillTemplate,
  scanArchive,
  turnJpeg,
  type FillState,
  type InkSignature,
  type PageAnalyser,
  type PageAnalysis,
  type RenditionSize,
  type Rotation,
  type ScanEntry,
  type ScannedPage,
  type SignatureStore,
} from '@collector/scan-core';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { FileStorage } from '../../plugins/app/storage.ts';
import type { PasswordBox } from './archive-password-box.ts';
import { matchBlanks } from './match-blank.ts';

export interface ProcessContext {
  prisma: PrismaClient;
  storage: FileStorage;
  analyser: PageAnalyser;
  passwords: PasswordBox;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export type ProcessOutcome = 'done' | 'rejected' | 'password_needed' | 'gone';

/** A one- or two-page upload (a rescan) is judged against the stored template of its event and blank position. */
const SMALL_UPLOAD_PAGES = 2;
/** Pages of one event and position an upload needs before its print is learnt as a template. */
const TEMPLATE_MIN_PAGES = 6;
const TEMPLATE_MAX_PAGES = 24;
const PROGRESS_EVERY_MS = 700;
/** Pages stored together (storePending): few enough that their bytes wait in memory only briefly. */
const PAGES_PER_STATEMENT = 8;
/** ... and no more than this many bytes of them (a large TIFF page is stored at once) */
const PENDING_BYTES = 4 * 1024 * 1024;

const ROTATIONS = [0, 90, 180, 270] as const;

export function uploadPrefix(uploadId: string): string {
  return `uploads/${uploadId}/`;
}

function extensionOf(path: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase() ?? 'bin';
  return ext === 'jpeg' ? 'jpg' : ext === 'tiff' ? 'tif' : ext;
}

const pageKey = (entryIndex: number, page: number) => `${entryIndex}:${page}`;

interface StoredPage {
  scanId: string;
  pageIndex: number;
  skew: number;
  originalKey: string | null;
  /** bumped by a person's correction: the batch then leaves the page's way up alone */
  version: number;
  rotation: number;
  fill: FillState;
  inkScore: number;
  storageKey: string;
  thumbnailKey: string | null;
}

/** A page's analysis kept for its blank type's print: the page as analysed alone, which the batch may then turn. */
interface KeptSignature {
  key: string;
  eventId: string;
  position: number;
  analysis: PageAnalysis;
}

/**
 * Runs scan-core over an upload's stored archive and stores its pages as scans: each page's original bytes, its
 * registry match, for a page whose code was not read (people will open it to correct it) its upright rendition, and
 * for every unrecognised page its thumbnail; the others are made when first asked for (upright-rendition.ts).
 * Idempotent: a restarted job skips the pages already stored (one scan per entry and page, enforced by a unique key),
 * so a crash loses nothing and doubles nothing.
 */
export async function processUpload(ctx: ProcessContext, uploadId: string): Promise<ProcessOutcome> {
  // the kept pages' signatures, packed (a few MB in memory, the rest in an unlinked temporary file)
  const signatures = createSignatureStore<string>();
  try {
    return await processWith(ctx, uploadId, signatures);
  } finally {
    signatures.close();
  }
}

/**
 * What the template steps need of a page: its summary, its signature and its other turns' signatures, these packed in
 * `signatures` (read back on use), not its renditions.
 */
function keepLean(signatures: SignatureStore<string>, key: string, analysis: PageAnalysis): PageAnalysis {
  const { uprightJpeg: _jpeg, uprightThumbnail: _thumbnail, inkSignature, alternatives, ...summary } = analysis;
  const packed = (name: string, signature: InkSignature): InkSignature => {
    signatures.add(name, signature);
    return signatures.get(name) ?? signature;
  };
  const turns = (alternatives ?? []).map((turn) => ({ ...turn, inkSignature: packed(`${key}@${turn.rotation}`, turn.inkSignature) }));
  return { ...summary, inkSignature: packed(key, inkSignature), ...(turns.length > 0 ? { alternatives: turns } : {}) };
}

async function processWith(ctx: ProcessContext, uploadId: string, signatures: SignatureStore<string>): Promise<ProcessOutcome> {
  const { prisma, storage } = ctx;
  const upload = await prisma.upload.findUnique({ where: { id: uploadId } });
  if (!upload || upload.status === 'done' || upload.status === 'rejected' || upload.status === 'failed' || !upload.archiveKey) return 'gone';

  let password: string | undefined;
  if (upload.passwordCipher) {
    const opened = ctx.passwords.open(upload.passwordCipher);
    if (opened === null) {
      await prisma.upload.update({ where: { id: uploadId }, data: { status: 'queued', passwordNeeded: true, passwordCipher: null, workerId: null } });
      return 'password_needed';
    }
    password = opened;
  }
  await prisma.upload.update({ where: { id: uploadId }, data: { status: 'processing', startedAt: upload.startedAt ?? new Date(), heartbeatAt: new Date() } });

  const stored = new Map<string, StoredPage>();
  /** page bytes (hash and page of the file) already stored by this upload: a later copy in the archive is not a new scan */
  const seenBytes = new Set<string>();
  for (const scan of await prisma.scan.findMany({
    where: { uploadId },
    select: { id: true, entryIndex: true, pageIndex: true, sha256: true, rotation: true, skew: true, fill: true, inkScore: true, originalKey: true, version: true, storageKey: true, thumbnailKey: true },
  })) {
    const { id: scanId, entryIndex: _entry, sha256: _sha256, ...rest } = scan;
    stored.set(pageKey(scan.entryIndex, scan.pageIndex), { scanId, ...rest });
    // a job resumed after a crash: a copy later in the archive of a page stored before the crash stays no new scan,
    // whichever of the two the resumed job meets first
    seenBytes.add(`${scan.sha256}:${scan.pageIndex}`);
  }

  /** entry path and page → entry indexes in archive order (the result's rows carry the path, not the index) */
  const keysByPath = new Map<string, string[]>();
  const kept: KeptSignature[] = [];
  const keptPerForm = new Map<string, number>();
  const smallUploadPages = new Map<string, KeptSignature>();
  let lastProgress = 0;

  const { regionCode } = upload;
  /** pages analysed and not yet stored: stored PAGES_PER_STATEMENT at a time (see storePending) */
  let pending: Array<{ key: string; page: ScannedPage }> = [];
  let pendingBytes = 0;
  /** each entry's original file, written once (the pages of a TIFF may be stored by two batches at once) */
  const originals = new Map<number, Promise<void>>();

  const onPage = async (page: ScannedPage): Promise<void> => {
    const key = pageKey(page.entryIndex, page.page);
    const pathKey = `${page.path}\u0000${page.page}`;
    keysByPath.set(pathKey, [...(keysByPath.get(pathKey) ?? []), key]);
    if (stored.has(key)) return;
    const bytesKey = `${page.sha256}:${page.page}`;
    // the same bytes earlier in this archive: not a new scan
    if (seenBytes.has(bytesKey)) return;
    seenBytes.add(bytesKey);
    pending.push({ key, page });
    // the waiting pages' bytes are outside scan-core's in-flight limit: few of them, and never many MB
    pendingBytes += page.bytes.length + (page.analysis.uprightJpeg?.length ?? 0) + (page.analysis.uprightThumbnail?.length ?? 0);
    if (pending.length >= PAGES_PER_STATEMENT || pendingBytes >= PENDING_BYTES) await storePending();
  };

  /**
   * Stores the pages waiting: their files, and their rows with one statement per kind instead of three per page (on
   * the embedded database each statement costs the server's main thread a few milliseconds, which the page threads
   * then miss). A page whose bytes an earlier upload stored is not a new scan. A crash before this runs loses
   * nothing: the resumed job analyses those pages again.
   */
  async function storePending(): Promise<void> {
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    if (batch.length === 0) return;
    const earlier = await prisma.scan.findMany({
      where: {
        regionCode,
        sha256: { in: [...new Set(batch.map(({ page }) => page.sha256))] },
        pageIndex: { in: [...new Set(batch.map(({ page }) => page.page))] },
        deletedAt: null,
        NOT: { uploadId },
      },
      select: { sha256: true, pageIndex: true },
    });
    const storedBefore = new Set(earlier.map((scan) => `${scan.sha256}:${scan.pageIndex}`));
    const fresh = batch.filter(({ page }) => !storedBefore.has(`${page.sha256}:${page.page}`));
    if (fresh.length === 0) return;
    const matches = await matchBlanks(
      prisma,
      regionCode,
      fresh.map(({ page }) => ({ blankNumber: page.analysis.blankNumber, unreadReason: page.analysis.reason as UnrecognizedReason | null })),
    );
    const prefix = uploadPrefix(uploadId);
    const rows = [];
    for (const [index, { page }] of fresh.entries()) {
      const match = matches[index];
      if (!match) throw new Error(`no registry match for page ${index + 1} of ${fresh.length}`);
      const { analysis } = page;
      const originalKey = `${prefix}original/${page.entryIndex}.${extensionOf(page.path)}`;
      let original = originals.get(page.entryIndex);
      if (!original) {
        original = storage.write(originalKey, page.bytes);
        originals.set(page.entryIndex, original);
        // a failed write is tried again by the next page of the entry, or by the resumed job
        original.catch(() => originals.delete(page.entryIndex));
      }
      await original;
      // the upright rendition of a page whose code was read is made when the page is first viewed
      // (upright-rendition.ts); one whose code was not read, which people will open to correct, has it made now
      const storageKey = `${prefix}pages/${page.entryIndex}-${page.page}.jpg`;
      if (analysis.uprightJpeg) await storage.write(storageKey, analysis.uprightJpeg);
      // likewise its thumbnail (the scan lists show only unrecognised pages); any other page's is made under this
      // key when first asked for
      const thumbnailKey = `${prefix}thumbs/${page.entryIndex}-${page.page}.jpg`;
      if (analysis.uprightThumbnail) await storage.write(thumbnailKey, analysis.uprightThumbnail);
      rows.push({ page, match, originalKey, storageKey, thumbnailKey });
    }
    // a page whose code was read but names another region's blank or none in the registry is in the list of
    // unrecognised scans too: its thumbnail is made now by the page workers, not later on the people's thread (an
    // archive sent to the wrong region would otherwise queue a screenful of them there)
    await Promise.all(
      rows.map(async ({ page, match, originalKey, thumbnailKey }) => {
        if (match.status !== 'unrecognized' || page.analysis.uprightThumbnail) return;
        try {
          const thumbnail = await ctx.analyser.renderUpright(storage.localPath(originalKey), page.page, page.analysis.rotation, page.analysis.skewDegrees, 'thumbnail');
          await storage.write(thumbnailKey, thumbnail);
        } catch (error) {
          // the first request makes it instead
          ctx.log.warn({ err: error, uploadId, entry: page.entryIndex, page: page.page }, 'the thumbnail of an unrecognised page could not be made');
        }
      }),
    );
    const created = await prisma.scan.createManyAndReturn({
      data: rows.map(({ page, match, originalKey, storageKey, thumbnailKey }) => {
        const { analysis } = page;
        return {
          uploadId,
          regionCode,
          entryName: page.path,
          entryIndex: page.entryIndex,
          pageIndex: page.page,
          sha256: page.sha256,
          imageHash: analysis.imageHash,
          storageKey,
          originalKey,
          thumbnailKey,
          status: match.status,
          reason: match.reason,
          blankNumber: analysis.blankNumber,
          blankId: match.blankId,
          symbology: analysis.symbology,
          readStep: analysis.readStep,
          rotation: analysis.rotation,
          skew: analysis.skewDegrees,
          fill: analysis.fill,
          inkScore: analysis.inkScore,
          dpi: analysis.dpi,
          width: analysis.width,
          height: analysis.height,
        };
      }),
      skipDuplicates: true,
      select: { id: true, entryIndex: true, pageIndex: true },
    });
    // a page another attempt at this job stored first is left out by the unique key
    const ids = new Map(created.map((scan) => [pageKey(scan.entryIndex, scan.pageIndex), scan.id]));
    for (const { page, match, originalKey, storageKey, thumbnailKey } of rows) {
      const key = pageKey(page.entryIndex, page.page);
      const scanId = ids.get(key);
      if (!scanId) continue;
      const { analysis } = page;
      stored.set(key, { scanId, pageIndex: page.page, skew: analysis.skewDegrees, originalKey, version: 0, rotation: analysis.rotation, fill: analysis.fill, inkScore: analysis.inkScore, storageKey, thumbnailKey });
      keepSignature(key, match.eventId, match.position, analysis);
    }
  }

  function keepSignature(key: string, eventId: string | null, position: number | null, analysis: PageAnalysis): void {
    if (eventId === null || position === null) return;
    const small = smallUploadPages.size <= SMALL_UPLOAD_PAGES;
    const form = `${eventId}:${position}`;
    const count = keptPerForm.get(form) ?? 0;
    const forTemplate = count < TEMPLATE_MAX_PAGES;
    if (!small && !forTemplate) return;
    const page = { key, eventId, position, analysis: keepLean(signatures, key, analysis) };
    if (small) smallUploadPages.set(key, page);
    if (!forTemplate) return;
    keptPerForm.set(form, count + 1);
    kept.push(page);
  }

  const result = await scanArchive(storage.localPath(upload.archiveKey), {
    ...(password !== undefined ? { password } : {}),
    fileName: upload.fileName,
    wantUpright: 'unread',
    analyser: ctx.analyser,
    onPage,
    onProgress: (progress) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      void prisma.upload
        .update({ where: { id: uploadId }, data: { processedPages: progress.entriesDone, totalPages: progress.entriesTotal, heartbeatAt: new Date() } })
        .catch(() => undefined);
    },
  });

  // the last pages of an accepted archive (a rejected one keeps nothing)
  if (result.verdict !== 'rejected') await storePending();

  const problems: UploadProblem[] = result.entries.flatMap((e) => (e.kind === 'problem' && e.problem ? [{ entryName: e.path, code: e.problem as EntryCode }] : []));
  const ignored = result.entries.filter((e) => e.kind === 'ignored').map((e) => e.path);

  if (result.verdict === 'rejected') {
    await prisma.scan.deleteMany({ where: { uploadId } });
    await storage.removePrefix(uploadPrefix(uploadId));
    await prisma.upload.update({
      where: { id: uploadId },
      data: {
        status: 'rejected',
        rejectCode: (result.code ?? 'corrupt_archive') as RejectCode,
        problems: problems as unknown as Prisma.InputJsonValue,
        ignored,
        passwordCipher: null,
        passwordNeeded: false,
        archiveKey: null,
        finishedAt: new Date(),
      },
    });
    await storage.remove(upload.archiveKey);
    ctx.log.info({ uploadId, code: result.code }, 'upload rejected');
    return 'rejected';
  }

  const decided = await applyBatchDecisions(ctx, stored, keysByPath, result.entries);
  const pageCount = result.entries.filter((e) => e.kind === 'page').length;
  if (pageCount <= SMALL_UPLOAD_PAGES) await judgeSmallUpload(ctx, stored, smallUploadPages);
  else await learnTemplates(prisma, kept, decided);

  const newScans = await prisma.scan.count({ where: { uploadId } });
  const hints = await diagnoseUnrecognized(prisma, uploadId, result.entries);
  await prisma.upload.update({
    where: { id: uploadId },
    data: {
      status: 'done',
      problems: problems as unknown as Prisma.InputJsonValue,
      ignored,
      hints,
      newScans,
      alreadyStored: Math.max(0, pageCount - newScans),
      totalPages: result.entries.length,
      processedPages: result.entries.length,
      passwordCipher: null,
      passwordNeeded: false,
      archiveKey: null,
      finishedAt: new Date(),
    },
  });
  await storage.remove(upload.archiveKey);
  ctx.log.info({ uploadId, pages: pageCount, newScans, seconds: result.seconds }, 'upload processed');
  return 'done';
}

/**
 * The batch decides filled / empty from all pages, and may turn a page its content alone had oriented: both are
 * written back, and a turned page's rendition and thumbnail, those made, are stored turned (the others are made at
 * the new way up when first asked for), so nobody has to remember a second step.
 */
async function applyBatchDecisions(ctx: ProcessContext, stored: Map<string, StoredPage>, keysByPath: Map<string, string[]>, entries: ScanEntry[]): Promise<Map<string, Rotation>> {
  /** each page's way up as the batch decided it, by page key */
  const decided = new Map<string, Rotation>();
  const cursor = new Map<string, number>();
  const ids: string[] = [];
  const fills: string[] = [];
  const inks: number[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'page' || entry.page === null) continue;
    const pathKey = `${entry.path}\u0000${entry.page}`;
    const at = cursor.get(pathKey) ?? 0;
    cursor.set(pathKey, at + 1);
    const key = keysByPath.get(pathKey)?.[at];
    const page = key === undefined ? undefined : stored.get(key);
    if (key === undefined || !page || entry.fill === null || entry.rotation === null) continue;
    decided.set(key, entry.rotation);
    if (entry.rotation !== page.rotation) await turnStoredPage(ctx, page, entry.rotation);
    if (entry.fill !== page.fill || entry.inkScore !== page.inkScore) {
      ids.push(page.scanId);
      fills.push(entry.fill);
      inks.push(entry.inkScore ?? 0);
      page.fill = entry.fill;
      page.inkScore = entry.inkScore ?? 0;
    }
  }
  if (ids.length === 0) return decided;
  await ctx.prisma.$executeRaw(Prisma.sql`
    UPDATE "Scan" AS s SET fill = v.fill::"Fill", "inkScore" = v.ink, "updatedAt" = now()
      FROM unnest(${ids}::uuid[], ${fills}::text[], ${inks}::float8[]) AS v(id, fill, ink)
     WHERE s.id = v.id`);
  return decided;
}

/** The key of a page's rendition or thumbnail turned to `rotation`: a key names one way up (upright-rendition.ts). */
function turnedKey(key: string, rotation: number): string {
  return key.replace(/(?:-r\d+)?\.jpg$/, `-r${rotation}.jpg`);
}

/**
 * The page's files at its new way up, under new keys: the rendition and the thumbnail, those that were made, made
 * again from the original (a turned JPEG would be a second generation); the old files go once the row names the new
 * ones, so a crash in between leaves only files nothing names, never a page turned twice. A page a person has
 * corrected meanwhile keeps the way up they gave it.
 */
async function turnStoredPage(ctx: ProcessContext, page: StoredPage, rotation: number): Promise<void> {
  if (!ROTATIONS.some((r) => r === rotation) || page.version !== 0) return;
  const before = { storageKey: page.storageKey, thumbnailKey: page.thumbnailKey };
  const keys = { storageKey: page.storageKey, thumbnailKey: page.thumbnailKey };
  // a row that serves its original as it came has nothing of ours to turn
  if (rotation !== page.rotation && page.storageKey !== page.originalKey) {
    keys.storageKey = turnedKey(page.storageKey, rotation);
    if ((await ctx.storage.stat(page.storageKey)) !== null) {
      const rendition = await turnedFile(ctx, page, rotation, 'full', page.storageKey);
      // none made: the first view makes it from the original
      if (rendition !== null) await ctx.storage.write(keys.storageKey, rendition);
    }
    keys.thumbnailKey = turnedKey(page.thumbnailKey ?? keys.storageKey.replace('/pages/', '/thumbs/'), rotation);
    if (page.thumbnailKey !== null && (await ctx.storage.stat(page.thumbnailKey)) !== null) {
      const thumbnail = await turnedFile(ctx, page, rotation, 'thumbnail', page.thumbnailKey);
      // none made: the first view makes it from the original
      if (thumbnail !== null) await ctx.storage.write(keys.thumbnailKey, thumbnail);
    }
  }
  const changed = await ctx.prisma.scan.updateMany({ where: { id: page.scanId, version: 0, rotation: page.rotation }, data: { rotation, ...keys } });
  if (changed.count !== 1) {
    // a person turned or numbered the page meanwhile, or another attempt at this job turned it first: the row's
    // files stand, and only files the row does not name go
    const now = await ctx.prisma.scan.findUnique({ where: { id: page.scanId }, select: { storageKey: true, thumbnailKey: true } });
    const named = [now?.storageKey, now?.thumbnailKey, page.originalKey];
    for (const key of [keys.storageKey, keys.thumbnailKey]) if (key && !named.includes(key) && key !== before.storageKey && key !== before.thumbnailKey) await ctx.storage.remove(key);
    return;
  }
  page.rotation = rotation;
  page.storageKey = keys.storageKey;
  page.thumbnailKey = keys.thumbnailKey;
  for (const old of [before.storageKey, before.thumbnailKey]) {
    if (old && old !== page.originalKey && old !== keys.storageKey && old !== keys.thumbnailKey) await ctx.storage.remove(old);
  }
}

/**
 * The page's rendition or thumbnail at its new way up, made from the original in a page worker; failing that, the
 * stored file turned by the difference; failing that too, null (the first view makes it).
 */
async function turnedFile(ctx: ProcessContext, page: StoredPage, rotation: number, size: RenditionSize, oldKey: string | null): Promise<Uint8Array | null> {
  if (page.originalKey !== null && (await ctx.storage.stat(page.originalKey)) !== null) {
    try {
      return await ctx.analyser.renderUpright(ctx.storage.localPath(page.originalKey), page.pageIndex, rotation as Rotation, page.skew, size);
    } catch (error) {
      ctx.log.warn({ err: error, scanId: page.scanId, size }, 'the turned page could not be made from the original');
    }
  }
  const old = oldKey === null ? null : await ctx.storage.readBytes(oldKey);
  if (old === null) return null;
  try {
    return await turnJpeg(old, (((rotation - page.rotation) / 90) % 4 + 4) % 4);
  } catch (error) {
    ctx.log.warn({ err: error, scanId: page.scanId, size }, 'the stored page could not be turned');
    return null;
  }
}

/**
 * A rescan of one or two pages cannot learn the print from itself: it is judged against its form's template, which
 * also turns a page of a form that prints its code sideways as the batch turned that form's pages (the template's
 * turn; a batch does so only when an archive has several pages of the form).
 */
async function judgeSmallUpload(ctx: ProcessContext, stored: Map<string, StoredPage>, pages: Map<string, KeptSignature>): Promise<void> {
  const { prisma } = ctx;
  for (const [key, { eventId, position, analysis }] of pages) {
    const page = stored.get(key);
    if (!page) continue;
    const template = await prisma.fillTemplate.findUnique({ where: { eventId_position: { eventId, position } } });
    if (!template) continue;
    const signature = { width: template.width, height: template.height, cells: new Uint8Array(template.cells) };
    const fitted = fitToTemplate({ signature, turn: asRotation(template.turn) })(analysis);
    if (fitted === null) continue;
    // turned by the template (never back to the page's own way up when its batch turned it)
    if (fitted.rotation !== analysis.rotation && fitted.rotation !== page.rotation) await turnStoredPage(ctx, page, fitted.rotation);
    // the template judges emptiness; ink it cannot explain keeps a page filled (never call a filled page empty)
    if (fitted.fill !== page.fill || fitted.inkScore !== page.inkScore) {
      await prisma.scan.update({ where: { id: page.scanId }, data: { fill: fitted.fill, inkScore: fitted.inkScore } });
    }
  }
}

function asRotation(degrees: number): Rotation {
  return ROTATIONS.find((rotation) => rotation === degrees) ?? 0;
}

/**
 * Learns (or refreshes) the print of each event and blank position this upload had enough pages of, from its pages
 * as analysed alone, with the turn the batch gave them all (formTurn): a template of more pages, or with a turn where
 * the stored one has none, replaces the stored one.
 */
async function learnTemplates(prisma: PrismaClient, kept: KeptSignature[], decided: Map<string, Rotation>): Promise<void> {
  const groups = new Map<string, KeptSignature[]>();
  for (const k of kept) groups.set(`${k.eventId}:${k.position}`, [...(groups.get(`${k.eventId}:${k.position}`) ?? []), k]);
  for (const group of groups.values()) {
    if (group.length < TEMPLATE_MIN_PAGES) continue;
    const first = group[0];
    if (!first) continue;
    const turn = formTurn(group.map((k) => ({ alone: k.analysis.rotation, decided: decided.get(k.key) ?? k.analysis.rotation })));
    const existing = await prisma.fillTemplate.findUnique({ where: { eventId_position: { eventId: first.eventId, position: first.position } }, select: { pages: true, turn: true } });
    if (existing && existing.pages >= group.length && (existing.turn !== 0 || turn === 0)) continue;
    const template = learnFillTemplate(group.map((k) => k.analysis));
    if (!template) continue;
    const { width, height, cells } = template.signature;
    const data = { width, height, cells: Buffer.from(cells), pages: group.length, turn };
    await prisma.fillTemplate.upsert({
      where: { eventId_position: { eventId: first.eventId, position: first.position } },
      create: { eventId: first.eventId, position: first.position, ...data },
      update: data,
    });
  }
}

/** Likely causes when more than 10 % of an upload's scans stay unrecognised, from the page diagnostics. */
async function diagnoseUnrecognized(prisma: PrismaClient, uploadId: string, entries: ScanEntry[]): Promise<UploadHint[]> {
  const scans = await prisma.scan.findMany({ where: { uploadId, deletedAt: null }, select: { status: true, reason: true, rotation: true, blank: { select: { eventId: true } } } });
  const unrecognized = scans.filter((s) => s.status === 'unrecognized');
  if (scans.length === 0 || unrecognized.length <= scans.length * RESCAN_RECOMMENDED_SHARE) return [];
  const hints: UploadHint[] = [];
  const pages = entries.filter((e) => e.kind === 'page');
  const share = (n: number, of: number) => of > 0 && n / of >= 0.25;
  if (share(pages.filter((p) => p.analysis?.diagnostics.includes('dpi_far_from_200')).length, pages.length)) hints.push('dpi_far_from_200');
  if (share(pages.filter((p) => p.rotation !== null && p.rotation !== 0).length, pages.length)) hints.push('pages_turned');
  if (share(unrecognized.filter((s) => s.reason === 'no_barcode' || s.reason === 'ambiguous').length, unrecognized.length)) hints.push('damaged_barcodes');
  if (unrecognized.some((s) => s.reason === 'foreign_region')) hints.push('foreign_region');
  if (unrecognized.some((s) => s.reason === 'unknown_blank')) hints.push('unknown_blanks');
  const events = new Set(scans.flatMap((s) => (s.blank ? [s.blank.eventId] : [])));
  if (events.size > 1) hints.push('other_event');
  return hints;
}
