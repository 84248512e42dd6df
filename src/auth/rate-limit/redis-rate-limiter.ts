import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { RateLimit } from '../../config/app-config';
import { type RateLimitDecision, type RateLimiter, retryAfterSeconds } from './rate-limiter';

// One sorted set per key: members are event ids, scores their times in ms by the Redis server's clock (one
// clock for every instance). Pruning, counting and recording run as one script, so they are atomic.
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

/** Counters shared by every instance that points at the same Redis. */
export class RedisRateLimiter implements RateLimiter {
  private readonly logger = new Logger(RedisRateLimiter.name);
  private readonly redis: RedisWithHit;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 }) as RedisWithHit;
    this.redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
  }

  // DECISION: when Redis cannot answer, requests are let through (and an error is logged) rather than refused:
  // an outage of the counters must not lock every shop out of login, registration and refresh.
  async hit(key: string, limit: RateLimit): Promise<RateLimitDecision> {
    const id = randomUUID();
    const windowMs = limit.windowSeconds * 1000;
    try {
      const [allowed, oldest, now] = await this.redis.rateLimitHit(this.prefix + key, windowMs, limit.count, id);
      return allowed === 1 ? { allowed: true, id } : { allowed: false, retryAfterSeconds: retryAfterSeconds(oldest, windowMs, now) };
    } catch (error) {
      this.logger.error(`Rate limiting is off for this request, Redis failed: ${(error as Error).message}`);
      return { allowed: true, id };
    }
  }

  async undo(key: string, id: string): Promise<void> {
    try {
      await this.redis.zrem(this.prefix + key, id);
    } catch (error) {
      this.logger.error(`Could not take back a rate-limit event, Redis failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
