import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

import { User } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import type { ClientInfo } from './refresh-tokens.service';

/** A live refresh family: one signed-in device. */
export interface LiveFamily {
  id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

/** The user and family of a refresh token. */
export interface TokenFamily {
  userId: number;
  familyId: string;
}

/**
 * The SQL of `auth_tokens`: refresh tokens, stored as SHA-256 (`token_hash`), one family per login. A family is
 * live while none of its tokens is revoked and its absolute end (`expires_at`, copied by each rotation) is ahead.
 */
@Injectable()
export class AuthTokensRepository {
  private readonly users: EntityRows<User>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.users = new EntityRows(dataSource, User, 'u');
  }

  /** The first token of a new family, ending `lifetimeDays` from now. */
  async startFamily(
    family: TokenFamily,
    tokenHash: string,
    lifetimeDays: number,
    client: ClientInfo,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO auth_tokens (user_id, token_hash, token_type, family_id, expires_at, user_agent, ip)
       VALUES ($1, $2, 'refresh', $3, now() + make_interval(days => $4), $5, $6)`,
      [family.userId, tokenHash, family.familyId, lifetimeDays, client.userAgent, client.ip],
    );
  }

  /**
   * Supersedes the live token `presentedHash` with `successorHash` of the same family and end; null when the
   * token is unknown, expired, revoked or already superseded. One statement: the conditional UPDATE takes the
   * row lock, so of two concurrent rotations of one token the second re-checks `superseded_at IS NULL` after the
   * first commits, matches nothing and inserts nothing. The new row's id is drawn first so that the old row can
   * point at it in the same UPDATE.
   */
  async rotate(presentedHash: string, successorHash: string, client: ClientInfo): Promise<TokenFamily | null> {
    const rows: { user_id: number; family_id: string }[] = await this.dataSource.query(
      `WITH old AS (
         UPDATE auth_tokens
            SET superseded_at = now(), replaced_by = nextval(pg_get_serial_sequence('auth_tokens', 'id'))
          WHERE token_hash = $1 AND superseded_at IS NULL AND revoked_at IS NULL AND expires_at > now()
         RETURNING replaced_by, user_id, family_id, expires_at
       )
       INSERT INTO auth_tokens (id, user_id, token_hash, token_type, family_id, expires_at, user_agent, ip)
       SELECT replaced_by, user_id, $2, 'refresh', family_id, expires_at, $3, $4 FROM old
       RETURNING user_id, family_id`,
      [presentedHash, successorHash, client.userAgent, client.ip],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, familyId: rows[0].family_id };
  }

  /** Revokes the family of `tokenHash` when that token was superseded more than `graceSeconds` ago; the family revoked, or null. */
  async revokeFamilyOfTokenSupersededBefore(tokenHash: string, graceSeconds: number): Promise<TokenFamily | null> {
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [revoked]: { family_id: string; user_id: number }[][] = await this.dataSource.query(
      `UPDATE auth_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL
          AND family_id = (SELECT family_id FROM auth_tokens
                            WHERE token_hash = $1 AND superseded_at < now() - make_interval(secs => $2))
       RETURNING family_id, user_id`,
      [tokenHash, graceSeconds],
    );
    return revoked.length === 0 ? null : { userId: revoked[0].user_id, familyId: revoked[0].family_id };
  }

  /** Revokes the family of `tokenHash`, whatever state that token is in; an unknown token revokes nothing. */
  async revokeFamilyOfToken(tokenHash: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM auth_tokens WHERE token_hash = $1)`,
      [tokenHash],
    );
  }

  /** Revokes every family of the user but `keepFamilyId`. */
  async revokeAllOf(userId: number, keepFamilyId: string | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2::uuid`,
      [userId, keepFamilyId],
    );
  }

  /** Revokes one live family of the user; false when the user has no live family of that id. */
  async revokeLiveFamily(userId: number, familyId: string): Promise<boolean> {
    const [revoked]: unknown[][] = await this.dataSource.query(
      `UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND family_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [userId, familyId],
    );
    return revoked.length > 0;
  }

  /** The user's live families, newest use first: when each began, when it was last refreshed, and from where. */
  listLiveFamilies(userId: number): Promise<LiveFamily[]> {
    return this.dataSource.query(
      `SELECT family_id AS id, min(created_at) AS created_at, max(created_at) AS last_used_at, max(expires_at) AS expires_at,
              (array_agg(user_agent ORDER BY created_at DESC))[1] AS user_agent, (array_agg(ip ORDER BY created_at DESC))[1] AS ip
         FROM auth_tokens WHERE user_id = $1
        GROUP BY family_id
       HAVING bool_and(revoked_at IS NULL) AND max(expires_at) > now()
        ORDER BY max(created_at) DESC`,
      [userId],
    );
  }

  /**
   * The user, when `familyId` is a live family of theirs: one query over the primary key and auth_tokens'
   * family_id index, on every guarded request. A revoked or ended family, or a deleted user, gives null.
   * DECISION: kept with the families rather than the users: what it decides is whether a family is live.
   */
  async findUserOfLiveFamily(userId: number, familyId: string): Promise<User | null> {
    // Fixed SQL and the driver's own hydration: building the query with the query builder on each request cost
    // more than the query itself.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${this.users.columns} FROM users u
        WHERE u.id = $1
          AND EXISTS (SELECT 1 FROM auth_tokens t
                       WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL AND t.expires_at > now())`,
      [userId, familyId],
    );
    return rows.length === 0 ? null : this.users.toEntity(rows[0]);
  }
}
