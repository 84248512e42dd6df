import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { MigrationStatusService, notMigratedMessage } from '../database/migration-status.service';

const PING_TIMEOUT_MS = 2000;

export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  database: 'up' | 'down';
  /** Present while migrations of this build are not applied. */
  migrations?: { pending: string[] };
  /** Present when REDIS_URL is set. */
  redis?: 'up' | 'down';
  /** Why the status is `error`. */
  message?: string;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly migrations: MigrationStatusService,
    private readonly limits: RateLimitService,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([this.databaseAnswers(), this.limits.sharedStoreStatus()]);
    const withRedis = redis ? { redis } : {};
    if (!database) return { status: 'error', database: 'down', ...withRedis, message: 'The database does not answer' };
    const pending = await this.migrations.pending().catch(() => []);
    if (pending.length > 0) return { status: 'error', database: 'up', migrations: { pending }, ...withRedis, message: notMigratedMessage(pending) };
    return { status: redis === 'down' ? 'degraded' : 'ok', database: 'up', ...withRedis };
  }

  /** True when the database answers a trivial query within PING_TIMEOUT_MS. */
  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const ping = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
