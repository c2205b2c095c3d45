/**
 * Ink signatures of a whole archive, held until the batch decision. Each is deflated (a third of its 60 KB on a
 * greyscale scan); past a memory budget they go to an unlinked temporary file, so an archive of thousands of small
 * bilevel pages holds a few bytes a page in memory instead of tens of kilobytes. Reads come back through the page
 * cache: finaliseFill reads each signature a handful of times.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { collectYoungGarbage } from '../pool/collect-garbage.ts';
import type { InkSignature } from '../shared/types.ts';

/** Deflated signatures kept in memory before the rest goes to disk. */
export const SIGNATURES_IN_MEMORY_BYTES = 4 * 1024 * 1024;
/** Bytes unpacked between two collections of the dropped ones. */
const UNPACKED_BETWEEN_COLLECTIONS = 2 * 1024 * 1024;

export type StoredSignature = { width: number; height: number } & ({ bytes: Uint8Array } | { offset: number; length: number });

/**
 * Some of a store's signatures, to be read in another thread of the process (the batch decision runs in a page
 * worker): the packed bytes held in memory travel with it, the spilled ones are read from the store's file through
 * the same descriptor, which every thread of a process shares. Valid only while the store is open: the store's
 * owner closes it after the other thread has answered (build-scan-result.ts awaits the decision first).
 */
export interface PackedSignatures {
  fd: number | null;
  entries: StoredSignature[];
}

export interface SignatureStore<K> {
  add(key: K, signature: InkSignature): void;
  /** A signature that unpacks on each read of `cells` and keeps nothing unpacked; undefined for an unknown key. */
  get(key: K): InkSignature | undefined;
  /** These keys' signatures, in this order, for another thread (openPackedSignatures); null for an unknown key. */
  pack(keys: readonly K[]): PackedSignatures | null;
  /** Frees memory and the temporary file. */
  close(): void;
}

export function createSignatureStore<K>(memoryBudgetBytes = SIGNATURES_IN_MEMORY_BYTES): SignatureStore<K> {
  const stored = new Map<K, StoredSignature>();
  let inMemory = 0;
  let fd: number | null = null;
  let fileLength = 0;

  /** Appends to the temporary file; null when there is none to be had (no space, no temporary folder). */
  const spill = (bytes: Uint8Array): { offset: number; length: number } | null => {
    try {
      if (fd === null) {
        const dir = mkdtempSync(join(tmpdir(), 'scan-signatures-'));
        try {
          fd = openSync(join(dir, 'signatures'), 'w+', 0o600);
        } finally {
          // nothing to clean up later, even if the process dies: the file lives only as long as the descriptor
          rmSync(dir, { recursive: true, force: true });
        }
      }
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, fileLength + written);
      const place = { offset: fileLength, length: bytes.length };
      fileLength += bytes.length;
      return place;
    } catch {
      // a full or read-only disk must not fail the scan: the signature stays in memory instead
      return null;
    }
  };

  const unpack = createUnpacker(() => fd);

  return {
    add(key, signature) {
      const deflated = deflateRawSync(signature.cells, { level: 1 });
      // zlib hands back a short result as a view of its 16 KB output chunk: keep (and send) only the bytes
      const bytes = deflated.byteLength === deflated.buffer.byteLength ? deflated : new Uint8Array(deflated);
      const size = { width: signature.width, height: signature.height };
      const place = inMemory + bytes.length <= memoryBudgetBytes ? null : spill(bytes);
      if (place === null) {
        inMemory += bytes.length;
        stored.set(key, { ...size, bytes });
      } else {
        stored.set(key, { ...size, ...place });
      }
    },
    get(key) {
      const entry = stored.get(key);
      return entry === undefined ? undefined : unpack(entry);
    },
    pack(keys) {
      const entries: StoredSignature[] = [];
      for (const key of keys) {
        const entry = stored.get(key);
        if (entry === undefined) return null;
        entries.push(entry);
      }
      return { fd, entries };
    },
    close() {
      stored.clear();
      inMemory = 0;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function readStored(entry: StoredSignature, fd: number | null): Uint8Array {
  if ('bytes' in entry) return entry.bytes;
  if (fd === null) throw new Error('the signature store is closed');
  const bytes = new Uint8Array(entry.length);
  let done = 0;
  while (done < entry.length) {
    const got = readSync(fd, bytes, done, entry.length - done, entry.offset + done);
    if (got === 0) throw new Error('signature file truncated');
    done += got;
  }
  return bytes;
}

/** Signatures that unpack on each read of `cells`, collecting the dropped ones now and then (see the top). */
function createUnpacker(descriptor: () => number | null): (entry: StoredSignature) => InkSignature {
  let unpacked = 0;
  return (entry) => ({
    width: entry.width,
    height: entry.height,
    get cells(): Uint8Array {
      unpacked += entry.width * entry.height;
      if (unpacked >= UNPACKED_BETWEEN_COLLECTIONS) {
        unpacked = 0;
        collectYoungGarbage();
      }
      const cells = inflateRawSync(readStored(entry, descriptor()));
      return new Uint8Array(cells.buffer, cells.byteOffset, cells.length);
    },
  });
}

/** The packed signatures in the thread that received them, by their place in the pack. */
export function openPackedSignatures(packed: PackedSignatures): (index: number) => InkSignature {
  const unpack = createUnpacker(() => packed.fd);
  return (index) => {
    const entry = packed.entries[index];
    if (entry === undefined) throw new Error(`no packed signature ${index}`);
    return unpack(entry);
  };
}
