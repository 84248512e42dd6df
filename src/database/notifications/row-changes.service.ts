import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import type { EmbeddedPostgres } from '../embedded/embedded-postgres';
import { EMBEDDED_POSTGRES } from '../embedded/embedded-postgres.module';
import { MigrationStatusService } from '../migration-status.service';
import type { SqlClient } from '../sql-client';
import { afterCommit } from './after-commit';
import { DEFAULT_LISTENER_TIMING, EMBEDDED_LISTENER_TIMING, NotificationListener } from './notification-listener';

// MigrationStatusService's own pace.
const MIGRATION_RECHECK_MS = 5000;

// Notified by the row_changes triggers (migration RowChangeNotifications).
export const ROW_CHANGES_CHANNEL = 'row_changes';

/** `id` null: every row of the table (after a TRUNCATE). */
export interface RowChange {
  table: string;
  id: string | null;
}

export interface RowChangeSubscriber {
  /** Given null, anything may have changed: the feed stopped or started being live. */
  rowChanged(change: RowChange | null): void;
}

/**
 * This server's own writes, announced as they commit, and every change the triggers notify. A subscriber must not
 * trust anything it kept from the database while the feed is not live.
 */
@Injectable()
export class RowChangesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RowChangesService.name);
  private readonly subscribers: RowChangeSubscriber[] = [];
  private listener: NotificationListener | null = null;
  private waitingForMigrations: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly migrationStatus: MigrationStatusService,
  ) {}

  get isLive(): boolean {
    return this.listener?.isLive ?? false;
  }

  subscribe(subscriber: RowChangeSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Subscribers hear it once the transaction `sql` runs in commits, or now outside one. */
  announce(sql: SqlClient, table: string, ids: readonly (string | number)[]): void {
    if (ids.length === 0 || this.subscribers.length === 0) return;
    afterCommit(sql, () => {
      for (const id of ids) this.publish({ table, id: String(id) });
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.subscribers.length === 0) return;
    await this.listenOnceMigrated();
  }

  /** Before the migration that adds the triggers the database announces nothing, so the feed stays off. */
  private async listenOnceMigrated(): Promise<void> {
    if (this.stopped) return;
    const pending = await this.migrationStatus.pending().catch(() => ['(the database did not answer)']);
    if (pending.length > 0) {
      if (!this.waitingForMigrations) this.logger.warn('Row change notifications are off until the database is migrated');
      this.waitingForMigrations = setTimeout(() => void this.listenOnceMigrated(), MIGRATION_RECHECK_MS).unref();
      return;
    }
    const { url } = this.config.database;
    const connection = url
      ? { connectionString: url }
      : { host: this.embedded!.endpoint.host, port: this.embedded!.endpoint.port, user: 'postgres', database: 'postgres' };
    this.listener = new NotificationListener(
      connection,
      ROW_CHANGES_CHANNEL,
      {
        heard: (payload) => this.publish(parseRowChange(payload)),
        liveChanged: (live) => {
          this.logger[live ? 'log' : 'warn'](live ? 'Listening for row changes' : 'Not listening for row changes; reconnecting');
          this.publish(null);
        },
      },
      url ? DEFAULT_LISTENER_TIMING : EMBEDDED_LISTENER_TIMING,
    );
    this.listener.start();
  }

  /** Before any shutdown hook closes the database: its going away is then no lost connection to report. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.waitingForMigrations);
    await this.listener?.stop();
  }

  private publish(change: RowChange | null): void {
    for (const subscriber of this.subscribers) subscriber.rowChanged(change);
  }
}

/** `table:id`, `table:*`; anything else is taken as a change of anything. */
export function parseRowChange(payload: string): RowChange | null {
  const separator = payload.indexOf(':');
  if (separator <= 0) return null;
  const id = payload.slice(separator + 1);
  return { table: payload.slice(0, separator), id: id === '*' ? null : id };
}
