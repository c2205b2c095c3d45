import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Keeps an archive password between the request that brings it and the job that uses it, which may run after a
 * restart or in a worker on another machine: AES-256-GCM with a key from configuration (ARCHIVE_KEY) or, by
 * default, a key file made once in DATA_DIR. The database only ever holds the ciphertext, and the job erases it
 * when the upload ends.
 */
export interface PasswordBox {
  seal(password: string): string;
  /** null when the ciphertext cannot be opened (the key changed): the upload asks for the password again */
  open(sealed: string): string | null;
}

const KEY_FILE = 'archive-password.key';

export async function loadArchiveKey(dataDir: string, configured: Buffer | undefined): Promise<Buffer> {
  if (configured) return configured;
  const file = path.join(dataDir, KEY_FILE);
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    if (key.length === 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx': two processes starting together keep the first key written
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}

export function createPasswordBox(key: Buffer): PasswordBox {
  return {
    seal(password) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
