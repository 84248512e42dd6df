import { Injectable } from '@nestjs/common';

import type { Transaction } from '../../database/database.service';

/** What a key was first used for and the answer that request was given. */
export interface StoredAnswer {
  fingerprint: string;
  response: Record<string, unknown>;
}

/** The SQL of `idempotency_keys`: every statement names the shop, so keys of two shops never meet. */
@Injectable()
export class IdempotencyKeysRepository {
  /**
   * Claims the shop's key for the caller's transaction, or returns what an earlier request stored under it. A
   * request holding the key uncommitted makes this wait for it (up to `waitMs`, then PostgreSQL's lock_not_available).
   * The shop's expired keys go first, so a key is reused after it expires.
   */
  async claim(manager: Transaction, shopId: number, key: string, fingerprint: string, waitMs: number): Promise<StoredAnswer | null> {
    await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [`${waitMs}ms`]);
    await manager.query('DELETE FROM idempotency_keys WHERE shop_id = $1 AND expires_at <= now()', [shopId]);
    const claimed: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (shop_id, key, fingerprint, expires_at) VALUES ($1, $2, $3, now() + interval '24 hours')
       ON CONFLICT (shop_id, key) DO NOTHING RETURNING 1`,
      [shopId, key, fingerprint],
    );
    await manager.query('SET LOCAL lock_timeout TO DEFAULT');
    if (claimed.length === 1) return null;
    const [stored]: StoredAnswer[] = await manager.query(
      'SELECT fingerprint, response FROM idempotency_keys WHERE shop_id = $1 AND key = $2',
      [shopId, key],
    );
    return stored ?? null;
  }

  /** Stores the answer of the request that claimed the key, in its transaction. */
  async record(manager: Transaction, shopId: number, key: string, statusCode: number, response: object): Promise<void> {
    await manager.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE shop_id = $1 AND key = $2', [
      shopId,
      key,
      statusCode,
      JSON.stringify(response),
    ]);
  }
}
