import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * With no SMTP server configured the API writes each message to DATA_DIR/outbox as an .eml file.
 * This reads those files back, decoding the transfer encodings nodemailer uses for Russian text.
 */
export async function readOutbox(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'outbox');
  const files = await readdir(dir).catch(() => []);
  const messages = await Promise.all(
    files.filter((file) => file.endsWith('.eml')).sort().map((file) => readFile(path.join(dir, file), 'utf8')),
  );
  return messages.map(decodeMessage);
}

function decodeMessage(raw: string): string {
  const separator = raw.indexOf('\n\n');
  const headers = separator === -1 ? raw : raw.slice(0, separator);
  const body = separator === -1 ? '' : raw.slice(separator + 2);
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return `${headers}\n\n${Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')}`;
  if (encoding === 'quoted-printable') return `${headers}\n\n${decodeQuotedPrintable(body)}`;
  return raw;
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of the newest reset link sent to `login`, e.g. `/reset-password?token=…`. */
export async function resetLinkFor(dataDir: string, login: string): Promise<string | undefined> {
  const messages = await readOutbox(dataDir);
  const mine = messages.filter((message) => message.includes(login));
  const last = mine.at(-1);
  const match = last === undefined ? null : /https?:\/\/[^\s/]+(\/reset-password\?token=[A-Za-z0-9_-]+)/.exec(last);
  return match?.[1];
}
