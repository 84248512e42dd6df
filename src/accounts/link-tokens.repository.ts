import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { hashRefreshToken, newOpaqueToken } from '../auth/refresh-tokens.service';
import type { LinkTokenKind } from '../database/entities';
import { UsersRepository } from '../users/users.repository';

/** Tokens stored as SHA-256, single use, expiring. */
@Injectable()
export class LinkTokensRepository {
  constructor(private readonly users: UsersRepository) {}

  /** The user's older unused one of that kind is voided. */
  async issue(
    manager: EntityManager,
    userId: number,
    kind: LinkTokenKind,
    ttlMinutes: number,
    newEmail: string | null = null,
  ): Promise<{ token: string; id: number }> {
    const token = newOpaqueToken();
    // The user's row lock orders two requests of one user, so the second one voids the first one's token.
    await this.users.lock(manager, userId);
    await manager.query(`UPDATE link_tokens SET used_at = now() WHERE user_id = $1 AND kind = $2 AND used_at IS NULL`, [userId, kind]);
    const [{ id }]: { id: number }[] = await manager.query(
      `INSERT INTO link_tokens (user_id, kind, token_hash, new_email, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING id`,
      [userId, kind, hashRefreshToken(token), newEmail, ttlMinutes],
    );
    return { token, id };
  }

  /** After a reset, a password change or a new address, no link mailed before may still act on the account. */
  async voidAll(manager: EntityManager, userId: number): Promise<void> {
    await manager.query(`UPDATE link_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }

  async void(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`UPDATE link_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL`, [id]);
  }

  async consume(manager: EntityManager, kind: LinkTokenKind, token: string): Promise<{ userId: number; newEmail: string | null } | null> {
    const [rows]: { user_id: number; new_email: string | null }[][] = await manager.query(
      `UPDATE link_tokens SET used_at = now() WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id, new_email`,
      [hashRefreshToken(token), kind],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, newEmail: rows[0].new_email };
  }
}
