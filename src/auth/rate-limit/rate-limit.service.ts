import { FactoryProvider, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';

import { RateLimitedException } from '../../common/rate-limited.exception';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import { MetricsService } from '../../metrics/metrics.service';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { RATE_LIMITER, type RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

export const rateLimiterProvider: FactoryProvider<RateLimiter> = {
  provide: RATE_LIMITER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    config.redisUrl ? new RedisRateLimiter(config.redisUrl, config.redisKeyPrefix) : new MemoryRateLimiter(),
};

export type RateLimitName = keyof AppConfig['rateLimits'];

export type UndoHit = () => Promise<void>;

@Injectable()
export class RateLimitService implements OnModuleDestroy {
  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Throws a 429 once the limit is reached. */
  async consume(name: RateLimitName, subject: string, message?: string): Promise<UndoHit> {
    const key = `${name}:${subject}`;
    const decision = await this.limiter.hit(key, this.config.rateLimits[name]);
    if (!decision.allowed) {
      this.metrics.rateLimitRejections.inc({ limit: name });
      throw new RateLimitedException(decision.retryAfterSeconds, message);
    }
    return () => this.limiter.undo(key, decision.id);
  }

  async clear(name: RateLimitName, target: { subject: string } | { subjectPrefix: string }): Promise<void> {
    await this.limiter.clear('subject' in target ? { key: `${name}:${target.subject}` } : { prefix: `${name}:${target.subjectPrefix}` });
  }

  /** `down` while each instance counts alone. */
  async sharedStoreStatus(): Promise<'up' | 'down' | undefined> {
    return this.limiter.status?.();
  }

  async onModuleDestroy(): Promise<void> {
    await this.limiter.close();
  }
}
