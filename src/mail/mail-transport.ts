import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { Logger } from '@nestjs/common';
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { AttachmentLike } from 'nodemailer/lib/mailer';

import type { AppConfig } from '../config/app-config';
import type { LeasedMail } from './mail-outbox.repository';

/**
 * The message as nodemailer composes it. DECISION: the text part goes as 8bit, not quoted-printable: a link's
 * `=` would read `=3D` in the raw message (an .eml file) and a long link would be cut by soft line breaks.
 */
function composed(from: string, mail: LeasedMail): SendMailOptions {
  // nodemailer takes a part's whole source as `raw`; its typings leave that out.
  const text: AttachmentLike & { raw: string } = {
    raw: `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${mail.text.replace(/\r?\n/g, '\r\n')}`,
  };
  return { from, to: mail.to, subject: mail.subject, text, html: mail.html };
}

/** Delivers one message, or throws. */
export type MailTransport = (mail: LeasedMail) => Promise<void>;

/**
 * SMTP to `SMTP_URL` through nodemailer; without it (the embedded default, a developer's machine) each message is
 * written as an .eml file under MAIL_OUTBOX_DIR and its link is logged, so that it can be clicked.
 */
export function createMailTransport(config: AppConfig['mail'], logLinks: boolean): { send: MailTransport; close(): void } {
  if (config.smtpUrl) {
    // Bounded waits, well inside the sender's lease, so that a stalled SMTP server fails a delivery (to be retried).
    const transporter = createTransport(config.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    return {
      send: async (mail) => {
        await transporter.sendMail(composed(config.from, mail));
      },
      close: () => transporter.close(),
    };
  }
  const logger = new Logger('Mail');
  const files = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const { message } = await files.sendMail(composed(config.from, mail));
      await mkdir(config.outboxDir, { recursive: true });
      const path = resolve(join(config.outboxDir, `${String(mail.id).padStart(6, '0')}.eml`));
      // Whole or not at all: a reader watching the folder never opens a message half-written.
      await writeFile(`${path}.partial`, message as Buffer);
      await rename(`${path}.partial`, path);
      // DECISION: the link is logged only on the embedded database, a developer's machine (accounts.md asks for a
      // clickable link there); a server without SMTP_URL writes files and logs no token.
      const link = logLinks ? /https?:\/\/\S+/.exec(mail.text)?.[0] : undefined;
      logger.log(`Mail "${mail.subject}" to ${mail.to} written to ${path}${link ? `: ${link}` : ''}`);
    },
    close: () => files.close(),
  };
}
