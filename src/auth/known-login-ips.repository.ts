import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The SQL of `known_login_ips`: the client IPs that logged into each account, and when they last did. */
@Injectable()
export class KnownLoginIpsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Did `ip` log into the account in the last `days` days? */
  async isKnown(userId: number, ip: string, days: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM known_login_ips WHERE user_id = $1 AND ip = $2 AND last_login_at > now() - make_interval(days => $3)`,
      [userId, ip, days],
    );
    return rows.length > 0;
  }

  /** Records a login from `ip`, and forgets the account's IPs older than `days` days. */
  async recordLogin(userId: number, ip: string, days: number): Promise<void> {
    await this.dataSource.query(
      `WITH forgotten AS (DELETE FROM known_login_ips WHERE user_id = $1 AND last_login_at <= now() - make_interval(days => $3))
       INSERT INTO known_login_ips (user_id, ip) VALUES ($1, $2) ON CONFLICT (user_id, ip) DO UPDATE SET last_login_at = now()`,
      [userId, ip, days],
    );
  }
}
