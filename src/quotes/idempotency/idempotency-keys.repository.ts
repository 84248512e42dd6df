import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../../database/sql-client';

export interface StoredAnswer {
  fingerprint: string;
  response: Record<string, unknown>;
}

export type Claim = { kind: 'claimed' } | { kind: 'stored'; answer: StoredAnswer } | { kind: 'full'; oldest: Date };

/** Every statement names the shop, so keys of two shops never meet. */
@Injectable()
export class IdempotencyKeysRepository {
  /**
   * A key past `expires_at` is taken over. A request holding the key uncommitted makes this wait, and every lock
   * wait of the rest of the transaction is bounded by `waitMs` (then lock_not_available).
   */
  async claim(
    sql: SqlClient,
    shopId: number,
    key: string,
    fingerprint: string,
    waitMs: number,
    limit: { keys: number; bytes: number },
  ): Promise<Claim> {
    const claimed: unknown[] = await sql.query(
      `WITH wait AS (SELECT set_config('lock_timeout', $4, true)),
            expired AS (DELETE FROM idempotency_keys WHERE shop_id = $1 AND key <> $2 AND expires_at <= now()),
            held AS (SELECT count(*) AS keys, coalesce(sum(response_bytes), 0) AS bytes FROM idempotency_keys WHERE shop_id = $1 AND expires_at > now())
       INSERT INTO idempotency_keys (shop_id, key, fingerprint, expires_at)
       SELECT $1, $2, $3, now() + interval '24 hours' FROM wait, held WHERE held.keys < $5 AND held.bytes < $6
       ON CONFLICT (shop_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response = NULL, response_bytes = 0, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [shopId, key, fingerprint, `${waitMs}ms`, limit.keys, limit.bytes],
    );
    if (claimed.length === 1) return { kind: 'claimed' };
    const [stored]: StoredAnswer[] = await sql.query(
      'SELECT fingerprint, response FROM idempotency_keys WHERE shop_id = $1 AND key = $2 AND expires_at > now()',
      [shopId, key],
    );
    if (stored) return { kind: 'stored', answer: stored };
    const [{ oldest }]: { oldest: Date }[] = await sql.query(
      'SELECT min(created_at) AS oldest FROM idempotency_keys WHERE shop_id = $1 AND expires_at > now()',
      [shopId],
    );
    return { kind: 'full', oldest };
  }

  async record(sql: SqlClient, shopId: number, key: string, statusCode: number, response: object): Promise<void> {
    const json = JSON.stringify(response);
    await sql.query('UPDATE idempotency_keys SET status_code = $3, response = $4, response_bytes = $5 WHERE shop_id = $1 AND key = $2', [
      shopId,
      key,
      statusCode,
      json,
      Buffer.byteLength(json),
    ]);
  }
}
