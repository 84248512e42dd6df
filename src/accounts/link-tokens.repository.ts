import { Injectable } from '@nestjs/common';

import { hashRefreshToken, newOpaqueToken } from '../auth/refresh-tokens.service';
import type { LinkTokenKind } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import { UsersRepository } from '../users/users.repository';

/** Tokens stored as SHA-256, single use, expiring. */
@Injectable()
export class LinkTokensRepository {
  constructor(private readonly users: UsersRepository) {}

  /** The user's older unused one of that kind is voided. */
  async issue(
    sql: SqlClient,
    userId: number,
    kind: LinkTokenKind,
    ttlMinutes: number,
    newEmail: string | null = null,
  ): Promise<{ token: string; id: number }> {
    const token = newOpaqueToken();
    // The user's row lock orders two requests of one user, so the second one voids the first one's token.
    await this.users.lock(sql, userId);
    await sql.query(`UPDATE link_tokens SET used_at = now() WHERE user_id = $1 AND kind = $2 AND used_at IS NULL`, [userId, kind]);
    const [{ id }]: { id: number }[] = await sql.query(
      `INSERT INTO link_tokens (user_id, kind, token_hash, new_email, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING id`,
      [userId, kind, hashRefreshToken(token), newEmail, ttlMinutes],
    );
    return { token, id };
  }

  /** After a reset, a password change or a new address, no link mailed before may still act on the account. */
  async voidAll(sql: SqlClient, userId: number): Promise<void> {
    await sql.query(`UPDATE link_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }

  async void(sql: SqlClient, id: number): Promise<void> {
    await sql.query(`UPDATE link_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL`, [id]);
  }

  async consume(sql: SqlClient, kind: LinkTokenKind, token: string): Promise<{ userId: number; newEmail: string | null } | null> {
    const [rows]: { user_id: number; new_email: string | null }[][] = await sql.query(
      `UPDATE link_tokens SET used_at = now() WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id, new_email`,
      [hashRefreshToken(token), kind],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, newEmail: rows[0].new_email };
  }
}
