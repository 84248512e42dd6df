import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { Logger } from '@nestjs/common';
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { AttachmentLike } from 'nodemailer/lib/mailer';

import type { AppConfig } from '../config/app-config';
import type { LeasedMail } from './mail-outbox.repository';

/** The text part goes as 8bit: quoted-printable would turn a link's `=` into `=3D` and cut long links. */
function composed(from: string, mail: LeasedMail): SendMailOptions {
  // nodemailer takes a part's whole source as `raw`; its typings leave that out.
  const text: AttachmentLike & { raw: string } = {
    raw: `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${mail.text.replace(/\r?\n/g, '\r\n')}`,
  };
  return { from, to: mail.to, subject: mail.subject, text, html: mail.html };
}

export type MailTransport = (mail: LeasedMail) => Promise<void>;

/** Without SMTP_URL each message is written as an .eml file under MAIL_OUTBOX_DIR. */
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
      // Only on a developer's machine (the embedded database): a server without SMTP_URL logs no token.
      const link = logLinks ? /https?:\/\/\S+/.exec(mail.text)?.[0] : undefined;
      logger.log(`Mail "${mail.subject}" to ${mail.to} written to ${path}${link ? `: ${link}` : ''}`);
    },
    close: () => files.close(),
  };
}
