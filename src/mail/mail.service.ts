import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import { MigrationStatusService } from '../database/migration-status.service';
import { isDatabaseUnavailable } from '../database/query-errors';
import type { SqlClient } from '../database/sql-client';
import { MetricsService } from '../metrics/metrics.service';
import { type LeasedMail, MailOutboxRepository, type OutgoingMail } from './mail-outbox.repository';
import { createMailTransport } from './mail-transport';

/** One message per lease: a lease then always outlasts its send (SMTP waits are bounded at 40 s in all). */
const BATCH = 1;
const LEASE_MS = 60_000;
const MAX_RETRY_MS = 60 * 60 * 1000;

export type LinkTokenVoider = (sql: SqlClient, linkTokenId: number) => Promise<void>;

/** Retries a failed delivery after MAIL_RETRY_BASE_MS, twice as long each time, at most an hour. */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private voidLinkToken: LinkTokenVoider = async () => undefined;

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly database: DatabaseService,
    private readonly migrations: MigrationStatusService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transport = createMailTransport(config.mail, config.database.url === undefined);
  }

  enqueue(sql: SqlClient, mail: OutgoingMail): Promise<void> {
    return this.outbox.enqueue(sql, mail);
  }

  /** The mail module does not know the link tokens' table. */
  onGiveUp(voider: LinkTokenVoider): void {
    this.voidLinkToken = voider;
  }

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

  /** A wake during a round runs one more round after it. */
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

  private async deliverBatch(): Promise<number> {
    // Before the outbox's table exists there is nothing to send, and nothing to log.
    if ((await this.migrations.pending()).length > 0) return 0;
    const batch = await this.outbox.lease(this.database.pool, BATCH, LEASE_MS, this.config.mail.giveUpAfterSeconds);
    for (const mail of batch) {
      try {
        await this.transport.send(mail);
        await this.outbox.markSent(this.database.pool, mail.id);
      } catch (error) {
        if (mail.overdue) {
          await this.giveUp(mail, error as Error);
          continue;
        }
        const retryInMs = Math.min(this.config.mail.retryBaseMs * 2 ** (mail.attempts - 1), MAX_RETRY_MS);
        this.logger.warn(
          `Mail ${mail.id} not delivered (attempt ${mail.attempts}), retrying in ${retryInMs} ms: ${(error as Error).message}`,
        );
        await this.outbox.markFailed(this.database.pool, mail.id, (error as Error).message, retryInMs);
      }
    }
    return batch.length;
  }

  private async giveUp(mail: LeasedMail, error: Error): Promise<void> {
    await this.database.transaction(async (sql) => {
      const linkTokenId = await this.outbox.giveUp(sql, mail.id, error.message);
      if (linkTokenId !== null) await this.voidLinkToken(sql, linkTokenId);
    });
    this.metrics.mailGivenUp.inc();
    this.logger.error(
      `Mail ${mail.id} given up after ${mail.attempts} attempts (MAIL_GIVE_UP_AFTER), its link (if any) voided: ${error.message}`,
    );
  }
}
