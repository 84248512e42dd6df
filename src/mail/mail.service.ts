import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { Transaction } from '../database/database.service';
import { isDatabaseUnavailable } from '../database/query-errors';
import { MailOutboxRepository, type OutgoingMail } from './mail-outbox.repository';
import { createMailTransport } from './mail-transport';

/** One message per lease: a lease then always outlasts its send (SMTP waits are bounded at 40 s in all). */
const BATCH = 1;
/** A sender that died gives its mail back after this. */
const LEASE_MS = 60_000;
const MAX_RETRY_MS = 60 * 60 * 1000;

/**
 * The outbox and its sender. `enqueue` writes a message in the caller's transaction; the sender, inside the
 * app, delivers what is due every MAIL_POLL_MS (and at once after a commit that `wake`s it), retrying a failed
 * delivery after MAIL_RETRY_BASE_MS, twice as long each time, at most an hour.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: MailOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transport = createMailTransport(config.mail, config.database.url === undefined);
  }

  enqueue(manager: Transaction, mail: OutgoingMail): Promise<void> {
    return this.outbox.enqueue(manager, mail);
  }

  /** Delivers what is due now, after the caller's transaction committed. */
  wake(): void {
    void this.deliverDue();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.deliverDue(), this.config.mail.pollMs);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** One delivery round at a time; a wake during a round runs one more round after it. */
  private deliverDue(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const delivered = await this.deliverBatch().catch((error: unknown) => {
          if (!isDatabaseUnavailable(error)) this.logger.error(`The outbox could not be read: ${(error as Error).message}`);
          return 0;
        });
        if (delivered === BATCH) this.again = true;
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Sends one leased batch; answers how many messages it took. */
  private async deliverBatch(): Promise<number> {
    const batch = await this.outbox.lease(BATCH, LEASE_MS);
    for (const mail of batch) {
      try {
        await this.transport.send(mail);
        await this.outbox.markSent(mail.id);
      } catch (error) {
        const retryInMs = Math.min(this.config.mail.retryBaseMs * 2 ** (mail.attempts - 1), MAX_RETRY_MS);
        this.logger.warn(
          `Mail ${mail.id} not delivered (attempt ${mail.attempts}), retrying in ${retryInMs} ms: ${(error as Error).message}`,
        );
        await this.outbox.markFailed(mail.id, (error as Error).message, retryInMs);
      }
    }
    return batch.length;
  }
}
