import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../database/entities';

/** 256 bits from the CSPRNG, base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;

export interface IssuedRefreshToken {
  /** The opaque token, shown to the client once; only its SHA-256 is stored. */
  token: string;
  familyId: string;
  userId: number;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 256 random bits, base64url: the opaque tokens of refresh families and of mailed links. */
export function newOpaqueToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

/** The client a family was used from, for the sessions list. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** A live refresh family: one signed-in device. */
export interface LiveFamily {
  id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

/**
 * Refresh-token families in auth_tokens. A login starts a family; each refresh supersedes the presented token
 * with a new one of the same family and the same absolute end; revoking a family also ends its access tokens,
 * which the guard checks on every request (findUserOfLiveFamily).
 */
@Injectable()
export class RefreshTokensService {
  private readonly logger = new Logger(RefreshTokensService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new family for a login from `client`, ending JWT_REFRESH_EXPIRE_DAYS from now. */
  async startFamily(userId: number, client: ClientInfo, manager: EntityManager = this.dataSource.manager): Promise<IssuedRefreshToken> {
    const token = newOpaqueToken();
    const familyId = randomUUID();
    await manager.query(
      `INSERT INTO auth_tokens (user_id, token_hash, token_type, family_id, expires_at, user_agent, ip)
       VALUES ($1, $2, 'refresh', $3, now() + make_interval(days => $4), $5, $6)`,
      [userId, hashRefreshToken(token), familyId, this.config.jwt.refreshExpireDays, client.userAgent, client.ip],
    );
    return { token, familyId, userId };
  }

  /**
   * Supersedes `presented` with a new token of its family, or answers null (unknown, expired, revoked or already
   * superseded). One statement: the conditional UPDATE takes the row lock, so of two concurrent rotations of one
   * token the second re-checks `superseded_at IS NULL` after the first commits, matches nothing and inserts
   * nothing. The new row's id is drawn first so that the old row can point at it in the same UPDATE.
   */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedRefreshToken | null> {
    const token = newOpaqueToken();
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
      [hashRefreshToken(presented), hashRefreshToken(token), client.userAgent, client.ip],
    );
    if (rows.length === 0) {
      await this.revokeFamilyIfReused(presented);
      return null;
    }
    return { token, familyId: rows[0].family_id, userId: rows[0].user_id };
  }

  /**
   * A token superseded longer ago than the grace window is being replayed: someone holds a copy. The whole
   * family is revoked, its access tokens included. Within the window (a client that retried, or lost the race
   * of two concurrent refreshes) nothing is revoked.
   */
  private async revokeFamilyIfReused(presented: string): Promise<void> {
    const [revoked]: { family_id: string; user_id: number }[][] = await this.dataSource.query(
      `UPDATE auth_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL
          AND family_id = (SELECT family_id FROM auth_tokens
                            WHERE token_hash = $1 AND superseded_at < now() - make_interval(secs => $2))
       RETURNING family_id, user_id`,
      [hashRefreshToken(presented), this.config.jwt.refreshGraceSeconds],
    );
    if (revoked.length > 0) {
      this.logger.warn(`Refresh token reuse: family ${revoked[0].family_id} of user ${revoked[0].user_id} revoked`);
    }
  }

  /** Logout: revokes the family of `presented`, whatever state that token is in. Unknown tokens do nothing. */
  async revokeFamilyOf(presented: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM auth_tokens WHERE token_hash = $1)`,
      [hashRefreshToken(presented)],
    );
  }

  /**
   * Revokes every family of the user but `keepFamilyId` (a claimed guest's, all devices after a password reset,
   * the other devices after a password change); their access tokens stop at once.
   */
  async revokeAllOf(userId: number, manager: EntityManager = this.dataSource.manager, keepFamilyId: string | null = null): Promise<void> {
    await manager.query(
      `UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2::uuid`,
      [userId, keepFamilyId],
    );
  }

  /** Revokes one family of the user; false when the user has no live family of that id. */
  async revokeFamily(userId: number, familyId: string): Promise<boolean> {
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
   * The user of an access token, in one query that also proves the token's family is alive (not revoked, not
   * past its end): a revoked family or a deleted user gives null. Uses the primary key and auth_tokens' family_id
   * index.
   */
  async findUserOfLiveFamily(userId: number, familyId: string): Promise<User | null> {
    // Fixed SQL and the driver's own hydration: this runs on every guarded request, where building the query
    // with the query builder each time cost more than the query itself.
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.* FROM users u
        WHERE u.id = $1
          AND EXISTS (SELECT 1 FROM auth_tokens t
                       WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL AND t.expires_at > now())`,
      [userId, familyId],
    );
    return rows.length === 0 ? null : this.hydrateUser(rows[0]);
  }

  private hydrateUser(row: Record<string, unknown>): User {
    const user = new User();
    for (const column of this.dataSource.getMetadata(User).columns) {
      column.setEntityValue(user, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return user;
  }
}
