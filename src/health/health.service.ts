import { Injectable } from '@nestjs/common';

import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { DatabaseService } from '../database/database.service';
import { MigrationStatusService, notMigratedMessage } from '../database/migration-status.service';

const PING_TIMEOUT_MS = 2000;

type ComponentStatus = 'up' | 'down';

export interface ReadinessComponents {
  database: { status: ComponentStatus };
  /** `unknown` while the database does not answer. */
  migrations: { status: ComponentStatus | 'unknown'; pending: string[] };
  redis?: { status: ComponentStatus };
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  database: ComponentStatus;
  migrations?: { pending: string[] };
  redis?: ComponentStatus;
  message?: string;
  components: ReadinessComponents;
}

export interface LivenessReport {
  status: 'ok';
  components: { process: { status: 'up'; uptime_seconds: number } };
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseService,
    private readonly migrations: MigrationStatusService,
    private readonly limits: RateLimitService,
  ) {}

  live(): LivenessReport {
    return { status: 'ok', components: { process: { status: 'up', uptime_seconds: Math.round(process.uptime()) } } };
  }

  async report(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([this.databaseAnswers(), this.limits.sharedStoreStatus()]);
    const withRedis = redis ? { redis } : {};
    const redisComponent = redis ? { redis: { status: redis } } : {};
    if (!database) {
      const components = {
        database: { status: 'down' as const },
        migrations: { status: 'unknown' as const, pending: [] },
        ...redisComponent,
      };
      return { status: 'error', database: 'down', ...withRedis, message: 'The database does not answer', components };
    }
    const pending = await this.migrations.pending().catch(() => []);
    const components = {
      database: { status: 'up' as const },
      migrations: { status: pending.length > 0 ? ('down' as const) : ('up' as const), pending },
      ...redisComponent,
    };
    if (pending.length > 0)
      return { status: 'error', database: 'up', migrations: { pending }, ...withRedis, message: notMigratedMessage(pending), components };
    return { status: redis === 'down' ? 'degraded' : 'ok', database: 'up', ...withRedis, components };
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const ping = this.database.ping().then(
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
