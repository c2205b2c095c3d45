import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';

export interface Mail {
  to: string | null;
  subject: string;
  text: string;
}

export interface Mailer {
  /** how mail leaves: 'smtp' or 'outbox' (files in DATA_DIR/outbox and the log, when no SMTP is set) */
  readonly mode: 'smtp' | 'outbox';
  send(mail: Mail): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

/**
 * nodemailer is loaded with the first message (a reset link, a new user's invitation), not by every server start:
 * it costs about 3 MB of heap that a server which sends nothing never needs.
 */
function lazyTransport(options: string | object): () => Promise<Transporter> {
  let transport: Promise<Transporter> | undefined;
  return () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options)).catch((error: unknown) => {
      transport = undefined;
      throw error;
    }));
}

export function createMailer(config: Config, log: FastifyInstance['log']): Mailer {
  if (config.mail.smtpUrl) {
    const transport = lazyTransport(config.mail.smtpUrl);
    return {
      mode: 'smtp',
      async send(mail) {
        if (!mail.to) {
          log.warn({ subject: mail.subject }, 'mail not sent: the user has no e-mail address');
          return;
        }
        await (await transport()).sendMail({ from: config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
      },
    };
  }
  const transport = lazyTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    mode: 'outbox',
    async send(mail) {
      const to = mail.to ?? 'undisclosed-recipients:;';
      const info = await (await transport()).sendMail({ from: config.mail.from, to, subject: mail.subject, text: mail.text });
      await mkdir(config.mail.outboxDir, { recursive: true });
      const file = path.join(config.mail.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      // no SMTP server configured: the log is how an administrator gets the message to the person
      log.info({ to, subject: mail.subject, file, text: mail.text }, 'mail written to the outbox (no SMTP configured)');
    },
  };
}

export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    app.decorate('mailer', createMailer(opts.config, app.log));
  },
  { name: 'mailer' },
);
