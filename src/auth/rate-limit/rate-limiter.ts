import type { RateLimit } from '../../config/app-config';

/** Injection token of the configured RateLimiter (memory, or Redis when REDIS_URL is set). */
export const RATE_LIMITER = Symbol('RATE_LIMITER');

export type RateLimitDecision =
  /** The event was recorded; `id` lets `undo` take it back. */
  | { allowed: true; id: string }
  /** `limit.count` events already fall in the window; the oldest of them leaves it in `retryAfterSeconds`. */
  | { allowed: false; retryAfterSeconds: number };

/**
 * Counts events per key in a sliding window (a log of event times): an event is allowed while fewer than
 * `limit.count` events of that key fall in the last `limit.windowSeconds`. Check-and-record is atomic, so
 * concurrent requests cannot overshoot the limit.
 */
export interface RateLimiter {
  hit(key: string, limit: RateLimit): Promise<RateLimitDecision>;
  /** Forgets one recorded event (e.g. a login attempt that turned out to succeed). */
  undo(key: string, id: string): Promise<void>;
  /** Forgets every event of `key`, or of every key that starts with `prefix` (a failed-login count after a reset). */
  clear(target: { key: string } | { prefix: string }): Promise<void>;
  /** The state of the shared store behind the counters; absent when they live in this process only. */
  status?(): Promise<'up' | 'down'>;
  close(): Promise<void>;
}

export function retryAfterSeconds(oldestInWindowMs: number, windowMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((oldestInWindowMs + windowMs - nowMs) / 1000));
}
