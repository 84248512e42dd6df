import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

import type { RateLimit } from '../../config/app-config';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { type RateLimitDecision, type RateLimiter, retryAfterSeconds } from './rate-limiter';

// Scores are times by the Redis server's clock (one clock for every instance); the script makes it atomic.
const HIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= count then
  local oldest = redis.call('ZRANGE', KEYS[1], n - count, n - count, 'WITHSCORES')
  return {0, tonumber(oldest[2]), now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0, now}
`;

type RedisWithHit = Redis & {
  rateLimitHit(key: string, windowMs: number, count: number, id: string): Promise<[number, number, number]>;
};

const REDIS_RETRY_MS = 5000;

export class RedisRateLimiter implements RateLimiter {
  private readonly logger = new Logger(RedisRateLimiter.name);
  /** Loaded with the first limiter that needs it: a server without REDIS_URL never loads ioredis. */
  private readonly redis: Promise<RedisWithHit>;
  private readonly fallback = new MemoryRateLimiter();
  private redisDown = false;
  private askRedisAfter = 0;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = import('ioredis').then(({ Redis }) => {
      const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 }) as RedisWithHit;
      redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
      redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
      return redis;
    });
  }

  async hit(key: string, limit: RateLimit): Promise<RateLimitDecision> {
    if (Date.now() < this.askRedisAfter) return this.fallback.hit(key, limit);
    const id = randomUUID();
    const windowMs = limit.windowSeconds * 1000;
    try {
      const [allowed, oldest, now] = await (await this.redis).rateLimitHit(this.prefix + key, windowMs, limit.count, id);
      this.noteRedis(true);
      return allowed === 1 ? { allowed: true, id } : { allowed: false, retryAfterSeconds: retryAfterSeconds(oldest, windowMs, now) };
    } catch (error) {
      this.noteRedis(false, error as Error);
      return this.fallback.hit(key, limit);
    }
  }

  async status(): Promise<'up' | 'down'> {
    try {
      await (await this.redis).ping();
      return 'up';
    } catch {
      return 'down';
    }
  }

  /** Logs once when Redis goes away and once when it is back, not once per request. */
  private noteRedis(answered: boolean, error?: Error): void {
    this.askRedisAfter = answered ? 0 : Date.now() + REDIS_RETRY_MS;
    if (answered === !this.redisDown) return;
    this.redisDown = !answered;
    if (answered) this.logger.log('Redis answers again: rate limits are shared by every instance');
    else this.logger.error(`Redis failed (${error?.message}): rate limits count in this instance's memory until it is back`);
  }

  async undo(key: string, id: string): Promise<void> {
    // Counted in Redis or, while it was away, in memory; taking back one that is not there is a no-op.
    await this.fallback.undo(key, id);
    if (Date.now() < this.askRedisAfter) return;
    try {
      await (await this.redis).zrem(this.prefix + key, id);
    } catch (error) {
      this.logger.error(`Could not take back a rate-limit event, Redis failed: ${(error as Error).message}`);
    }
  }

  async clear(target: { key: string } | { prefix: string }): Promise<void> {
    await this.fallback.clear(target);
    try {
      const redis = await this.redis;
      if ('key' in target) {
        await redis.unlink(this.prefix + target.key);
        return;
      }
      const match = `${this.prefix + target.prefix}*`.replace(/[\\?[\]]|\*(?!$)/g, (character) => `\\${character}`);
      for await (const keys of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>)
        if (keys.length > 0) await redis.unlink(...keys);
    } catch (error) {
      this.logger.error(`Could not clear rate-limit counters, Redis failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    const redis = await this.redis;
    await redis.quit().catch(() => redis.disconnect());
  }
}
