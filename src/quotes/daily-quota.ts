import { PayloadTooLargeException } from '@nestjs/common';

import { RateLimitedException } from '../common/rate-limited.exception';
import type { RecentCreations } from './quotes.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

export function dailyQuotaSince(): Date {
  return new Date(Date.now() - DAY_MS);
}

/** The caller holds the shop's row lock when concurrent creations must not overshoot. */
export function enforceDailyQuota({ count, oldest }: RecentCreations, limit: number, what: string): void {
  if (count < limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((new Date(oldest!).getTime() + DAY_MS - Date.now()) / 1000));
  throw new RateLimitedException(retryAfterSeconds, `A shop may create ${limit} ${what} a day; try again later`);
}

export function enforceJsonSize(field: string, value: unknown, limit: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(value ?? {}));
  if (bytes > limit)
    throw new PayloadTooLargeException(`${field} holds ${bytes} bytes; a quote may hold at most ${limit} (QUOTA_QUOTE_JSON_BYTES)`);
}
