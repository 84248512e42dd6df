import type { RateLimit } from '../../config/app-config';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

export type RateLimitDecision =
  /** `id` lets `undo` take it back. */
  | { allowed: true; id: string }
  /** The oldest of the events in the window leaves it in `retryAfterSeconds`. */
  | { allowed: false; retryAfterSeconds: number };

/** A sliding window (a log of event times); check-and-record is atomic, so concurrent requests cannot overshoot. */
export interface RateLimiter {
  hit(key: string, limit: RateLimit): Promise<RateLimitDecision>;
  undo(key: string, id: string): Promise<void>;
  clear(target: { key: string } | { prefix: string }): Promise<void>;
  /** Absent when the counters live in this process only. */
  status?(): Promise<'up' | 'down'>;
  close(): Promise<void>;
}

export function retryAfterSeconds(oldestInWindowMs: number, windowMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((oldestInWindowMs + windowMs - nowMs) / 1000));
}
