import { createHash, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import { RowChangesService } from '../database/notifications/row-changes.service';

/** In a registry of this instance. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly failedLogins = new Counter({
    name: 'auth_failed_logins_total',
    help: 'Logins refused for a wrong email or password',
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused with 429, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly priceImports = new Counter({
    name: 'price_imports_total',
    help: 'Price imports through the API, by kind (load or preview) and outcome (the answer status)',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });

  readonly mailGivenUp = new Counter({
    name: 'mail_given_up_total',
    help: 'Messages the outbox gave up on after MAIL_GIVE_UP_AFTER of failed deliveries',
    registers: [this.registry],
  });

  readonly guardLookups = new Counter({
    name: 'auth_guard_lookups_total',
    help: 'Sessions the guard checked, by where the answer came from: memory (hit), the database (miss), or the database because the cache is off (off)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(
    database: DatabaseService,
    rowChanges: RowChangesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'row_changes_live',
      help: '1 while this instance hears row change notifications (and the guard may answer from memory), else 0',
      registers: [this.registry],
      collect() {
        this.set(rowChanges.isLive ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state: in use, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = database.poolStatistics();
        this.set({ state: 'in_use' }, pool.inUse);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** A server without METRICS_TOKEN has no metrics route (404). */
  async exposition(authorization: string | undefined): Promise<{ contentType: string; body: string }> {
    const token = this.config.metricsToken;
    if (token === undefined) throw new NotFoundException();
    // Digests of equal length, so the comparison takes the same time whatever was presented, its length too.
    const digest = (text: string) => createHash('sha256').update(text).digest();
    const presented = /^bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), digest(token)))
      throw new UnauthorizedException('The metrics need Authorization: Bearer <METRICS_TOKEN>');
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
