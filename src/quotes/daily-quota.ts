import { PayloadTooLargeException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { RateLimitedException } from '../auth/rate-limit/rate-limited.exception';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses (429, with Retry-After until the oldest of them is a day old) when the shop created `limit` rows of
 * `table` in the last 24 hours. `table` has `user_id` and `created_at`; the caller holds the shop's row lock when
 * concurrent creations must not overshoot.
 */
export async function enforceDailyQuota(
  manager: EntityManager,
  table: 'quotes' | 'quote_sessions',
  ownerId: number,
  limit: number,
  what: string,
): Promise<void> {
  const since = new Date(Date.now() - DAY_MS);
  const [{ count, oldest }]: { count: number; oldest: Date | null }[] = await manager.query(
    `SELECT count(*)::int AS count, min(created_at) AS oldest FROM (
       SELECT created_at FROM ${table} WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3) recent`,
    [ownerId, since, limit],
  );
  if (count < limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((new Date(oldest!).getTime() + DAY_MS - Date.now()) / 1000));
  throw new RateLimitedException(retryAfterSeconds, `A shop may create ${limit} ${what} a day; try again later`);
}

/** Refuses (413) a JSON document of a quote larger than `limit` bytes, naming the field. */
export function enforceJsonSize(field: string, value: unknown, limit: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(value ?? {}));
  if (bytes > limit)
    throw new PayloadTooLargeException(`${field} holds ${bytes} bytes; a quote may hold at most ${limit} (QUOTA_QUOTE_JSON_BYTES)`);
}
