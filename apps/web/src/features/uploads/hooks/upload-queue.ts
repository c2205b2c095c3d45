import type { SendArchiveEvents, SendArchiveHandle } from '../api/send-archive.ts';
import type { ArchivePlan } from '../utils/plan-folder-archives.ts';
import { judgeNames } from '../utils/preflight-archive.ts';
import type { PreflightFault, PreflightVerdict, PreflightWarning } from '../utils/preflight-archive.ts';
import { TransferSpeed } from '../utils/transfer-speed.ts';

/*
 * The files this page is sending, one after another. Each is checked locally first (all at once:
 * reading a central directory is quick), then the archives go one at a time, so the first is
 * complete and processing while the next is still on its way.
 */

export type QueueItemState =
  | 'checking' // reading the ZIP's central directory
  | 'blocked' // a fault found locally: nothing is sent
  | 'waiting' // checked, waiting for its turn
  | 'packing' // a folder being zipped in the browser
  | 'sending'
  | 'submitting' // all bytes in: handing it to processing
  | 'sent'
  | 'failed';

export type QueueItem = {
  key: string;
  name: string;
  sizeBytes: number;
  /** set for archives the browser builds from a dropped folder */
  folder: { name: string; part: number; parts: number; fileCount: number; folders: string[] } | null;
  state: QueueItemState;
  faults: PreflightFault[];
  warnings: PreflightWarning[];
  bytesSent: number;
  bytesPerSecond: number | null;
  packedFiles: number;
  uploadId: string | null;
  error: string | null;
  /** where a failed item picks up again */
  failedAt: 'packing' | 'sending' | 'submitting' | null;
};

type Source = { kind: 'file'; file: File } | { kind: 'folder'; plan: ArchivePlan; file: File | null };

type Entry = {
  item: QueueItem;
  source: Source;
  /** in memory only, until the submit call; cleared right after it */
  password: string | undefined;
  regionCode: string | undefined;
  handle: SendArchiveHandle | null;
  /** settles a send in progress when the item is removed, so the queue moves on */
  settle: (() => void) | null;
  speed: TransferSpeed;
};

export type UploadQueueDeps = {
  preflight: (file: File, password: string | undefined) => Promise<PreflightVerdict>;
  pack: (plan: ArchivePlan, onProgress: (done: number, total: number) => void) => Promise<File>;
  send: (file: File, options: { regionCode?: string | undefined }, events: SendArchiveEvents) => SendArchiveHandle;
  submit: (uploadId: string, password: string | undefined) => Promise<void>;
  /** the server has a new upload row (created, or handed to processing): the list should look again */
  onServerChange?: () => void;
  now?: () => number;
};

export type AddOptions = { password?: string | undefined; regionCode?: string | undefined };

let counter = 0;
const nextKey = () => `item-${(counter += 1)}`;

export class UploadQueue {
  private entries: Entry[] = [];
  private snapshot: readonly QueueItem[] = [];
  private listeners = new Set<() => void>();
  private pumping = false;

  constructor(private readonly deps: UploadQueueDeps) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly QueueItem[] => this.snapshot;

  addFiles(files: readonly File[], options: AddOptions = {}): void {
    for (const file of files) {
      const entry = this.createEntry({ kind: 'file', file }, file.name, file.size, null, options);
      entry.item.state = 'checking';
      this.entries.push(entry);
      void this.check(entry);
    }
    this.emit();
  }

  addFolderArchives(folderName: string, plans: readonly ArchivePlan[], options: AddOptions = {}): void {
    plans.forEach((plan, index) => {
      const folder = { name: folderName, part: index + 1, parts: plans.length, fileCount: plan.files.length, folders: plan.folders };
      // A ZIP the browser builds itself has no password.
      const entry = this.createEntry({ kind: 'folder', plan, file: null }, plan.name, plan.estimatedBytes, folder, { regionCode: options.regionCode });
      entry.item.warnings = judgeNames(plan.files.map((file) => file.path)).warnings;
      this.entries.push(entry);
    });
    this.emit();
    void this.pump();
  }

  /** Checks a blocked archive again with another password (the field beside its row). */
  retryWithPassword(key: string, password: string): void {
    const entry = this.find(key);
    if (entry === undefined || entry.source.kind !== 'file') return;
    entry.password = password;
    this.update(entry, { state: 'checking', faults: [], error: null });
    void this.check(entry);
  }

  /** After a failure: packing and sending pick up where they stopped (tus resumes), submitting is asked again. */
  retry(key: string): void {
    const entry = this.find(key);
    if (entry === undefined || entry.item.state !== 'failed') return;
    if (entry.item.failedAt === 'submitting') {
      void this.submit(entry);
      return;
    }
    this.update(entry, { state: 'waiting', error: null, failedAt: null });
    void this.pump();
  }

  /** Stops and forgets an item; a half-sent archive can still be resumed by picking it again. */
  remove(key: string): void {
    const entry = this.find(key);
    if (entry === undefined) return;
    entry.handle?.abort();
    entry.settle?.();
    entry.password = undefined;
    this.entries = this.entries.filter((candidate) => candidate !== entry);
    this.emit();
    void this.pump();
  }

  removeFinished(): void {
    this.entries = this.entries.filter((entry) => entry.item.state !== 'sent' && entry.item.state !== 'blocked');
    this.emit();
  }

  dispose(): void {
    for (const entry of this.entries) {
      entry.handle?.abort();
      entry.password = undefined;
    }
    this.entries = [];
    this.emit();
  }

  private createEntry(source: Source, name: string, sizeBytes: number, folder: QueueItem['folder'], options: AddOptions): Entry {
    return {
      item: {
        key: nextKey(),
        name,
        sizeBytes,
        folder,
        state: 'waiting',
        faults: [],
        warnings: [],
        bytesSent: 0,
        bytesPerSecond: null,
        packedFiles: 0,
        uploadId: null,
        error: null,
        failedAt: null,
      },
      source,
      password: options.password === '' ? undefined : options.password,
      regionCode: options.regionCode,
      handle: null,
      settle: null,
      speed: new TransferSpeed(),
    };
  }

  private async check(entry: Entry): Promise<void> {
    if (entry.source.kind !== 'file') return;
    let verdict: PreflightVerdict;
    try {
      verdict = await this.deps.preflight(entry.source.file, entry.password);
    } catch {
      // The browser could not read the file (moved, or access lost): let the server judge it.
      verdict = { faults: [], warnings: [], pageCount: 0, entryCount: 0, encrypted: false };
    }
    if (!this.entries.includes(entry)) return;
    if (verdict.faults.length > 0) {
      entry.password = undefined;
      this.update(entry, { state: 'blocked', faults: verdict.faults, warnings: verdict.warnings });
      return;
    }
    // A password typed for an archive that has none is not needed: it is not sent either.
    if (!verdict.encrypted) entry.password = undefined;
    this.update(entry, { state: 'waiting', faults: [], warnings: verdict.warnings });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const next = this.entries.find((entry) => entry.item.state === 'waiting');
        if (next === undefined) return;
        await this.process(next);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async process(entry: Entry): Promise<void> {
    let file: File;
    if (entry.source.kind === 'file') file = entry.source.file;
    else if (entry.source.file !== null) file = entry.source.file;
    else {
      const source = entry.source;
      this.update(entry, { state: 'packing', packedFiles: 0 });
      try {
        file = await this.deps.pack(source.plan, (done) => this.update(entry, { packedFiles: done }));
      } catch {
        this.update(entry, {
          state: 'failed',
          failedAt: 'packing',
          error: 'Не удалось собрать архив из папки: браузер не смог прочитать часть файлов. Выберите папку снова.',
        });
        return;
      }
      source.file = file;
      this.update(entry, { sizeBytes: file.size });
    }
    if (!this.entries.includes(entry)) return;

    this.update(entry, { state: 'sending', error: null, failedAt: null, bytesPerSecond: null });
    entry.speed.reset();
    const now = this.deps.now ?? (() => performance.now());
    const uploadId = await new Promise<string | null>((resolve) => {
      entry.settle = () => resolve(null);
      entry.handle = this.deps.send(
        file,
        { regionCode: entry.regionCode },
        {
          onUploadId: (id) => {
            this.update(entry, { uploadId: id });
            this.deps.onServerChange?.();
          },
          onProgress: (sent, total) => {
            const speed = entry.speed.sample(sent, now());
            this.update(entry, { bytesSent: sent, sizeBytes: total, bytesPerSecond: speed ?? entry.item.bytesPerSecond });
          },
          onSuccess: (id) => resolve(id),
          onError: (message) => {
            this.update(entry, { state: 'failed', failedAt: 'sending', error: message });
            resolve(null);
          },
        },
      );
    });
    entry.handle = null;
    entry.settle = null;
    if (uploadId === null || !this.entries.includes(entry)) return;
    this.update(entry, { uploadId, bytesSent: entry.item.sizeBytes });
    await this.submit(entry);
  }

  private async submit(entry: Entry): Promise<void> {
    const uploadId = entry.item.uploadId;
    if (uploadId === null) return;
    this.update(entry, { state: 'submitting', error: null, failedAt: null });
    try {
      await this.deps.submit(uploadId, entry.password);
      entry.password = undefined;
      this.update(entry, { state: 'sent' });
    } catch (error) {
      this.update(entry, {
        state: 'failed',
        failedAt: 'submitting',
        error: error instanceof Error && error.message !== '' ? error.message : 'Не удалось передать архив на обработку.',
      });
    }
    this.deps.onServerChange?.();
  }

  private find(key: string): Entry | undefined {
    return this.entries.find((entry) => entry.item.key === key);
  }

  private update(entry: Entry, changes: Partial<QueueItem>): void {
    entry.item = { ...entry.item, ...changes };
    this.emit();
  }

  private emit(): void {
    this.snapshot = this.entries.map((entry) => entry.item);
    for (const listener of [...this.listeners]) listener();
  }
}
