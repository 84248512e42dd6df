import type { RateLimit } from '../../config/app-config';
import { type RateLimitDecision, type RateLimiter, retryAfterSeconds } from './rate-limiter';

interface Log {
  windowMs: number;
  /** Oldest first; never longer than the limit's count. */
  events: { at: number; id: string }[];
}

const SWEEP_INTERVAL_MS = 60_000;

/** Keys whose events all left their window are swept every minute. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs = new Map<string, Log>();
  private nextId = 0;
  private readonly sweeper = setInterval(() => this.sweep(this.clock()), SWEEP_INTERVAL_MS).unref();

  constructor(private readonly clock: () => number = Date.now) {}

  async hit(key: string, limit: RateLimit): Promise<RateLimitDecision> {
    const now = this.clock();
    const windowMs = limit.windowSeconds * 1000;
    let log = this.logs.get(key);
    if (!log) {
      log = { windowMs, events: [] };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    const events = log.events;
    while (events.length > 0 && events[0].at <= now - windowMs) events.shift();
    if (events.length >= limit.count) {
      return { allowed: false, retryAfterSeconds: retryAfterSeconds(events[events.length - limit.count].at, windowMs, now) };
    }
    const id = String(++this.nextId);
    events.push({ at: now, id });
    return { allowed: true, id };
  }

  async undo(key: string, id: string): Promise<void> {
    const events = this.logs.get(key)?.events;
    const index = events?.findIndex((event) => event.id === id) ?? -1;
    if (index >= 0) events!.splice(index, 1);
  }

  async clear(target: { key: string } | { prefix: string }): Promise<void> {
    if ('key' in target) this.logs.delete(target.key);
    else for (const key of this.logs.keys()) if (key.startsWith(target.prefix)) this.logs.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.logs.clear();
  }

  private sweep(now: number): void {
    for (const [key, log] of this.logs) {
      const newest = log.events[log.events.length - 1];
      if (!newest || newest.at <= now - log.windowMs) this.logs.delete(key);
    }
  }
}
