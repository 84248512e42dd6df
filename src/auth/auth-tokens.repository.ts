import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { User } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import { RowChangesService } from '../database/notifications/row-changes.service';
import { PreparedStatements } from '../database/prepared-statements';
import type { SqlClient } from '../database/sql-client';
import type { ClientInfo } from './decorators/client.decorator';

export interface LiveFamily {
  id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export interface LiveSession {
  user: User;
  familyExpiresAt: Date;
}

export interface TokenFamily {
  userId: number;
  familyId: string;
}

/** A token revoked by hand ends its family too (a trigger). */
@Injectable()
export class AuthTokensRepository {
  private readonly users: EntityRows<User>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly rowChanges: RowChangesService,
    private readonly preparedStatements: PreparedStatements,
  ) {
    this.users = new EntityRows(dataSource, User, 'u');
  }

  async startFamily(sql: SqlClient, family: TokenFamily, tokenHash: string, lifetimeDays: number, client: ClientInfo): Promise<void> {
    await sql.query(
      `WITH family AS (
         INSERT INTO refresh_families (id, user_id, expires_at, user_agent, ip)
         VALUES ($3, $1, now() + make_interval(days => $4), $5, $6)
         RETURNING id, user_id, expires_at, user_agent, ip
       )
       INSERT INTO auth_tokens (user_id, token_hash, token_type, family_id, expires_at, user_agent, ip)
       SELECT user_id, $2, 'refresh', id, expires_at, user_agent, ip FROM family`,
      [family.userId, tokenHash, family.familyId, lifetimeDays, client.userAgent, client.ip],
    );
  }

  /**
   * One statement: the conditional UPDATE takes the row lock, so of two concurrent rotations the second re-checks
   * `superseded_at IS NULL` after the first commits and matches nothing. The new id is drawn first so that the old
   * row can point at it in the same UPDATE.
   */
  async rotate(sql: SqlClient, presentedHash: string, successorHash: string, client: ClientInfo): Promise<TokenFamily | null> {
    const rows: { user_id: number; family_id: string }[] = await sql.query(
      `WITH old AS (
         UPDATE auth_tokens t
            SET superseded_at = now(), replaced_by = nextval(pg_get_serial_sequence('auth_tokens', 'id'))
           FROM refresh_families f
          WHERE t.token_hash = $1 AND t.superseded_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
            AND f.id = t.family_id AND f.revoked_at IS NULL AND f.expires_at > now()
         RETURNING t.replaced_by, t.user_id, t.family_id, t.expires_at
       ), used AS (
         UPDATE refresh_families SET last_used_at = now(), user_agent = $3, ip = $4 WHERE id = (SELECT family_id FROM old)
       )
       INSERT INTO auth_tokens (id, user_id, token_hash, token_type, family_id, expires_at, user_agent, ip)
       SELECT replaced_by, user_id, $2, 'refresh', family_id, expires_at, $3, $4 FROM old
       RETURNING user_id, family_id`,
      [presentedHash, successorHash, client.userAgent, client.ip],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, familyId: rows[0].family_id };
  }

  async revokeFamilyOfTokenSupersededBefore(sql: SqlClient, tokenHash: string, graceSeconds: number): Promise<TokenFamily | null> {
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [revoked]: { family_id: string; user_id: number }[][] = await sql.query(
      `UPDATE refresh_families SET revoked_at = now()
        WHERE revoked_at IS NULL
          AND id = (SELECT family_id FROM auth_tokens WHERE token_hash = $1 AND superseded_at < now() - make_interval(secs => $2))
       RETURNING id AS family_id, user_id`,
      [tokenHash, graceSeconds],
    );
    this.revoked(
      sql,
      revoked.map((row) => row.family_id),
    );
    return revoked.length === 0 ? null : { userId: revoked[0].user_id, familyId: revoked[0].family_id };
  }

  async revokeFamilyOfToken(sql: SqlClient, tokenHash: string): Promise<void> {
    const [revoked]: { id: string }[][] = await sql.query(
      `UPDATE refresh_families SET revoked_at = now()
        WHERE revoked_at IS NULL AND id = (SELECT family_id FROM auth_tokens WHERE token_hash = $1)
       RETURNING id`,
      [tokenHash],
    );
    this.revoked(
      sql,
      revoked.map((row) => row.id),
    );
  }

  async revokeAllOf(sql: SqlClient, userId: number, keepFamilyId: string | null): Promise<void> {
    const [revoked]: { id: string }[][] = await sql.query(
      `UPDATE refresh_families SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2::uuid RETURNING id`,
      [userId, keepFamilyId],
    );
    this.revoked(
      sql,
      revoked.map((row) => row.id),
    );
  }

  async revokeLiveFamily(sql: SqlClient, userId: number, familyId: string): Promise<boolean> {
    const [revoked]: { id: string }[][] = await sql.query(
      `UPDATE refresh_families SET revoked_at = now() WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [userId, familyId],
    );
    this.revoked(
      sql,
      revoked.map((row) => row.id),
    );
    return revoked.length > 0;
  }

  listLiveFamilies(sql: SqlClient, userId: number): Promise<LiveFamily[]> {
    return sql.query(
      `SELECT id, created_at, last_used_at, expires_at, user_agent, ip
         FROM refresh_families WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY last_used_at DESC, created_at DESC`,
      [userId],
    );
  }

  async findLiveSession(sql: SqlClient, userId: number, familyId: string): Promise<LiveSession | null> {
    // Fixed SQL: building it with the query builder on each request cost more than the query itself.
    const rows = await this.preparedStatements.query<Record<string, unknown>>(
      sql,
      'guard_live_session',
      // The family on its primary key alone (OFFSET 0 keeps the planner from merging it into the join): given the
      // user's id too, the planner may read it through the user_id index and filter every ended login of the user.
      `SELECT ${this.users.columns}, f.expires_at AS family_expires_at
         FROM (SELECT user_id, expires_at FROM refresh_families WHERE id = $2 AND revoked_at IS NULL AND expires_at > now() OFFSET 0) f
         JOIN users u ON u.id = f.user_id
        WHERE u.id = $1`,
      [userId, familyId],
    );
    return rows.length === 0 ? null : { user: this.users.toEntity(rows[0]), familyExpiresAt: rows[0].family_expires_at as Date };
  }

  private revoked(sql: SqlClient, familyIds: string[]): void {
    this.rowChanges.announce(sql, 'refresh_families', familyIds);
  }
}
