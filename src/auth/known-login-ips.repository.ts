import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../database/sql-client';

/** A day-granular fact needs no more than an hourly write per (user, IP) and instance. */
const RECORD_AGAIN_AFTER_MS = 60 * 60 * 1000;
/** Past it the memory starts again (the database stays right either way). */
const REMEMBERED_MAX = 10_000;

@Injectable()
export class KnownLoginIpsRepository {
  private readonly recorded = new Map<string, number>();

  async isKnown(sql: SqlClient, userId: number, ip: string, days: number): Promise<boolean> {
    const rows: unknown[] = await sql.query(
      `SELECT 1 FROM known_login_ips WHERE user_id = $1 AND ip = $2 AND last_login_at > now() - make_interval(days => $3)`,
      [userId, ip, days],
    );
    return rows.length > 0;
  }

  /** Written at most hourly per (user, IP): a flood of logins of one account would otherwise queue on one row lock. */
  async recordLogin(sql: SqlClient, userId: number, ip: string, days: number): Promise<void> {
    const key = `${userId} ${ip}`;
    const now = Date.now();
    if (now - (this.recorded.get(key) ?? -Infinity) < RECORD_AGAIN_AFTER_MS) return;
    if (this.recorded.size >= REMEMBERED_MAX) this.recorded.clear();
    this.recorded.set(key, now);
    await sql.query(
      `WITH forgotten AS (DELETE FROM known_login_ips WHERE user_id = $1 AND last_login_at <= now() - make_interval(days => $3))
       INSERT INTO known_login_ips (user_id, ip) VALUES ($1, $2) ON CONFLICT (user_id, ip) DO UPDATE SET last_login_at = now()`,
      [userId, ip, days],
    );
  }
}
