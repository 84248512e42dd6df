import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { User } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import { RowChangesService } from '../database/notifications/row-changes.service';
import { PreparedStatements } from '../database/prepared-statements';
import { isUniqueViolation } from '../database/query-errors';
import type { SqlClient } from '../database/sql-client';
import { emailSkeleton } from './email';

export type ProfileChanges = Partial<
  Pick<
    User,
    'shopName' | 'shopAddress' | 'shopPhone' | 'shopEmail' | 'logoUrl' | 'rateInshop' | 'rateOnsite' | 'markupDefault' | 'currency'
  >
>;

const PROFILE_COLUMNS: Record<keyof ProfileChanges, string> = {
  shopName: 'shop_name',
  shopAddress: 'shop_address',
  shopPhone: 'shop_phone',
  shopEmail: 'shop_email',
  logoUrl: 'logo_url',
  rateInshop: 'rate_inshop',
  rateOnsite: 'rate_onsite',
  markupDefault: 'markup_default',
  currency: 'currency',
};

type UpdatedRows = [Record<string, unknown>[], number];

export class EmailTakenError extends Error {
  constructor() {
    super('The email belongs to another account');
  }
}

/** The shop's row lock orders its concurrent writes, and its counter numbers its quotes. */
@Injectable()
export class UsersRepository {
  private readonly users: EntityRows<User>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly rowChanges: RowChangesService,
    private readonly preparedStatements: PreparedStatements,
  ) {
    this.users = new EntityRows(dataSource, User);
  }

  async findById(sql: SqlClient, id: number): Promise<User | null> {
    return this.first(await sql.query(`SELECT ${this.users.columns} FROM users WHERE id = $1`, [id]));
  }

  async currencyOf(sql: SqlClient, id: number): Promise<string> {
    const [row] = await sql.query<{ currency: string }[]>(`SELECT currency FROM users WHERE id = $1`, [id]);
    return row.currency;
  }

  async findByEmail(sql: SqlClient, email: string): Promise<User | null> {
    return this.first(
      await this.preparedStatements.query(sql, 'user_by_email', `SELECT ${this.users.columns} FROM users WHERE email = $1`, [email]),
    );
  }

  async insert(sql: SqlClient, fields: Pick<User, 'email' | 'passwordHash' | 'isProvisional'>): Promise<User> {
    const skeleton = fields.isProvisional ? null : await this.refuseLookAlike(sql, fields.email, null);
    const rows = await sql
      .query<Record<string, unknown>[]>(
        `INSERT INTO users (email, email_skeleton, password_hash, is_provisional) VALUES ($1, $2, $3, $4) RETURNING ${this.users.columns}`,
        [fields.email, skeleton, fields.passwordHash, fields.isProvisional],
      )
      .catch(emailTakenIfUniqueViolation);
    return this.users.toEntity(rows[0]);
  }

  async claimGuest(sql: SqlClient, id: number, email: string, passwordHash: string): Promise<User | null> {
    const skeleton = await this.refuseLookAlike(sql, email, id);
    const [rows] = await sql
      .query<UpdatedRows>(
        `UPDATE users SET email = $2, email_skeleton = $4, password_hash = $3, is_provisional = false, updated_at = now()
          WHERE id = $1 AND is_provisional RETURNING ${this.users.columns}`,
        [id, email, passwordHash, skeleton],
      )
      .catch(emailTakenIfUniqueViolation);
    this.changed(sql, id);
    return this.first(rows);
  }

  async changeEmail(sql: SqlClient, id: number, email: string): Promise<User> {
    const skeleton = await this.refuseLookAlike(sql, email, id);
    const [rows] = await sql
      .query<UpdatedRows>(
        `UPDATE users SET email = $2, email_skeleton = $3, is_verified = true, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
        [id, email, skeleton],
      )
      .catch(emailTakenIfUniqueViolation);
    this.changed(sql, id);
    return this.existing(this.first(rows), id);
  }

  async markVerified(sql: SqlClient, id: number): Promise<User> {
    const [rows]: Record<string, unknown>[][] = await sql.query(
      `UPDATE users SET is_verified = true, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
      [id],
    );
    this.changed(sql, id);
    return this.existing(this.first(rows), id);
  }

  /** `addressProven` (a reset through a mailed link) marks the address verified as well. */
  async setPassword(sql: SqlClient, id: number, passwordHash: string, addressProven: boolean): Promise<void> {
    await sql.query(`UPDATE users SET password_hash = $2, is_verified = is_verified OR $3, updated_at = now() WHERE id = $1`, [
      id,
      passwordHash,
      addressProven,
    ]);
    this.changed(sql, id);
  }

  async updateProfile(sql: SqlClient, id: number, changes: ProfileChanges): Promise<User> {
    const fields = (Object.keys(PROFILE_COLUMNS) as (keyof ProfileChanges)[]).filter((field) => changes[field] !== undefined);
    if (fields.length === 0) return this.existing(await this.findById(sql, id), id);
    const assignments = fields.map((field, index) => `${PROFILE_COLUMNS[field]} = $${index + 2}`);
    const [rows]: Record<string, unknown>[][] = await sql.query(
      `UPDATE users SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
      [id, ...fields.map((field) => changes[field])],
    );
    this.changed(sql, id);
    return this.existing(this.first(rows), id);
  }

  async lock(sql: SqlClient, id: number): Promise<void> {
    await sql.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** The row lock serialises the shop's concurrent creations; a rollback gives the number back. */
  async advanceQuoteSequence(sql: SqlClient, id: number): Promise<number> {
    const [[{ quote_seq: sequence }]]: { quote_seq: number }[][] = await sql.query(
      `UPDATE users SET quote_seq = quote_seq + 1, updated_at = now() WHERE id = $1 RETURNING quote_seq`,
      [id],
    );
    this.changed(sql, id);
    return sequence;
  }

  /** Everything the shop owns but its quotes goes with it (ON DELETE CASCADE). */
  async delete(sql: SqlClient, id: number): Promise<void> {
    await sql.query(`DELETE FROM users WHERE id = $1`, [id]);
    this.changed(sql, id);
  }

  /** A transaction lock on the skeleton keeps two look-alikes from being written side by side. */
  private async refuseLookAlike(sql: SqlClient, email: string, exceptId: number | null): Promise<string> {
    const skeleton = emailSkeleton(email);
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`users.email_skeleton:${skeleton}`]);
    const taken: unknown[] = await sql.query(`SELECT 1 FROM users WHERE email_skeleton = $1 AND id IS DISTINCT FROM $2::int LIMIT 1`, [
      skeleton,
      exceptId,
    ]);
    if (taken.length > 0) throw new EmailTakenError();
    return skeleton;
  }

  private changed(sql: SqlClient, id: number): void {
    this.rowChanges.announce(sql, 'users', [id]);
  }

  private first(rows: Record<string, unknown>[]): User | null {
    return rows.length === 0 ? null : this.users.toEntity(rows[0]);
  }

  private existing(user: User | null, id: number): User {
    if (!user) throw new Error(`No user ${id}`);
    return user;
  }
}

function emailTakenIfUniqueViolation(error: unknown): never {
  throw isUniqueViolation(error, 'UQ_users_email') ? new EmailTakenError() : error;
}
