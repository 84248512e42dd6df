import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server in the test process: what arrives is parsed and kept; it can be stopped and started again. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Resolves with the first message (after `skip` earlier ones) that `predicate` accepts, polling what arrived. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const POLL_MS = 20;

/** `refuses`: recipients the server answers with a permanent error (550), as a mailbox that does not exist. */
export async function startTestSmtp(refuses: (address: string) => boolean = () => false): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let port = 0;
  let server: SMTPServer;
  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(refuses(address.address) ? Object.assign(new Error('No such mailbox'), { responseCode: 550 }) : undefined);
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    port = (server.server.address() as { port: number }).port;
  };
  await listen();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(predicate, timeoutMs = 15_000) {
      const giveUpAt = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > giveUpAt)
          throw new Error(
            `No such mail arrived; received: ${received.map((mail) => `${mail.to} "${mail.subject}"`).join('; ') || 'nothing'}`,
          );
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: listen,
  };
}

/** The token of the link in a mail (`…?token=…`). */
export function linkToken(mail: ReceivedMail): string {
  const match = /[?&]token=([\w-]+)/.exec(mail.text);
  if (!match) throw new Error(`No link in the mail "${mail.subject}": ${mail.text}`);
  return match[1];
}
