import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

import { User } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import { RowChangesService } from '../database/notifications/row-changes.service';
import { PreparedStatements } from '../database/prepared-statements';
import { isUniqueViolation } from '../database/query-errors';
import { emailSkeleton } from './email';

/** The profile fields an owner may change, each written only when present. */
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

/** What an UPDATE ... RETURNING answers through TypeORM: the rows, and how many. */
type UpdatedRows = [Record<string, unknown>[], number];

/** The address is another account's: the unique index on the normalized email refused it. */
export class EmailTakenError extends Error {
  constructor() {
    super('The email belongs to another account');
  }
}

/**
 * The SQL of `users`: shop accounts and guests, their addresses, passwords and profiles, and the shop's row,
 * whose lock orders a shop's concurrent writes and whose counter numbers its quotes. Emails arrive normalized.
 * Every change of a row is announced (RowChangesService) once it commits, so what is kept of it in memory goes.
 */
@Injectable()
export class UsersRepository {
  private readonly users: EntityRows<User>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rowChanges: RowChangesService,
    private readonly preparedStatements: PreparedStatements,
  ) {
    this.users = new EntityRows(dataSource, User);
  }

  async findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return this.first(await manager.query(`SELECT ${this.users.columns} FROM users WHERE id = $1`, [id]));
  }

  /** The currency of the shop's prices (ISO 4217). */
  async currencyOf(id: number, manager: EntityManager): Promise<string> {
    const [row] = await manager.query<{ currency: string }[]>(`SELECT currency FROM users WHERE id = $1`, [id]);
    return row.currency;
  }

  async findByEmail(email: string): Promise<User | null> {
    return this.first(
      await this.preparedStatements.query('user_by_email', `SELECT ${this.users.columns} FROM users WHERE email = $1`, [email]),
    );
  }

  /**
   * One INSERT ... RETURNING: the generated id, the defaults and the timestamps come back with it.
   * EmailTakenError when the address is another account's.
   */
  async insert(manager: EntityManager, fields: Pick<User, 'email' | 'passwordHash' | 'isProvisional'>): Promise<User> {
    const skeleton = fields.isProvisional ? null : await this.refuseLookAlike(manager, fields.email, null);
    const rows = await manager
      .query<Record<string, unknown>[]>(
        `INSERT INTO users (email, email_skeleton, password_hash, is_provisional) VALUES ($1, $2, $3, $4) RETURNING ${this.users.columns}`,
        [fields.email, skeleton, fields.passwordHash, fields.isProvisional],
      )
      .catch(emailTakenIfUniqueViolation);
    return this.users.toEntity(rows[0]);
  }

  /**
   * Makes the provisional account `id` a full one in place; null when it is not provisional (any more).
   * EmailTakenError when the address is another account's.
   */
  async claimGuest(manager: EntityManager, id: number, email: string, passwordHash: string): Promise<User | null> {
    const skeleton = await this.refuseLookAlike(manager, email, id);
    const [rows] = await manager
      .query<UpdatedRows>(
        `UPDATE users SET email = $2, email_skeleton = $4, password_hash = $3, is_provisional = false, updated_at = now()
          WHERE id = $1 AND is_provisional RETURNING ${this.users.columns}`,
        [id, email, passwordHash, skeleton],
      )
      .catch(emailTakenIfUniqueViolation);
    this.changed(id, manager);
    return this.first(rows);
  }

  /** A new, proven address. EmailTakenError when it is another account's. */
  async changeEmail(manager: EntityManager, id: number, email: string): Promise<User> {
    const skeleton = await this.refuseLookAlike(manager, email, id);
    const [rows] = await manager
      .query<UpdatedRows>(
        `UPDATE users SET email = $2, email_skeleton = $3, is_verified = true, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
        [id, email, skeleton],
      )
      .catch(emailTakenIfUniqueViolation);
    this.changed(id, manager);
    return this.existing(this.first(rows), id);
  }

  async markVerified(manager: EntityManager, id: number): Promise<User> {
    const [rows]: Record<string, unknown>[][] = await manager.query(
      `UPDATE users SET is_verified = true, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
      [id],
    );
    this.changed(id, manager);
    return this.existing(this.first(rows), id);
  }

  /** A new password hash; `addressProven` (a reset through a mailed link) marks the address verified as well. */
  async setPassword(manager: EntityManager, id: number, passwordHash: string, addressProven: boolean): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2, is_verified = is_verified OR $3, updated_at = now() WHERE id = $1`, [
      id,
      passwordHash,
      addressProven,
    ]);
    this.changed(id, manager);
  }

  /** Writes the fields present in `changes` (none: nothing is written) and returns the user as stored. */
  async updateProfile(id: number, changes: ProfileChanges): Promise<User> {
    const fields = (Object.keys(PROFILE_COLUMNS) as (keyof ProfileChanges)[]).filter((field) => changes[field] !== undefined);
    if (fields.length === 0) return this.existing(await this.findById(id), id);
    const assignments = fields.map((field, index) => `${PROFILE_COLUMNS[field]} = $${index + 2}`);
    const [rows]: Record<string, unknown>[][] = await this.dataSource.query(
      `UPDATE users SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${this.users.columns}`,
      [id, ...fields.map((field) => changes[field])],
    );
    this.changed(id);
    return this.existing(this.first(rows), id);
  }

  /** Takes the shop's row lock for the rest of the transaction: concurrent writes of one shop run one after the other. */
  async lock(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [id]);
  }

  /**
   * Advances the shop's quote counter in the caller's transaction and returns its new value. The row lock it takes
   * serialises the shop's concurrent creations; a rollback gives the number back.
   */
  async advanceQuoteSequence(manager: EntityManager, id: number): Promise<number> {
    const [[{ quote_seq: sequence }]]: { quote_seq: number }[][] = await manager.query(
      `UPDATE users SET quote_seq = quote_seq + 1, updated_at = now() WHERE id = $1 RETURNING quote_seq`,
      [id],
    );
    this.changed(id, manager);
    return sequence;
  }

  /** The account row; everything the shop owns but its quotes goes with it (ON DELETE CASCADE). */
  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`DELETE FROM users WHERE id = $1`, [id]);
    this.changed(id, manager);
  }

  /**
   * The skeleton of `email`, after making sure no account but `exceptId` has it (EmailTakenError). A transaction
   * lock on the skeleton keeps two look-alikes from being written side by side until the first one commits.
   */
  private async refuseLookAlike(manager: EntityManager, email: string, exceptId: number | null): Promise<string> {
    const skeleton = emailSkeleton(email);
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`users.email_skeleton:${skeleton}`]);
    const taken: unknown[] = await manager.query(`SELECT 1 FROM users WHERE email_skeleton = $1 AND id IS DISTINCT FROM $2::int LIMIT 1`, [
      skeleton,
      exceptId,
    ]);
    if (taken.length > 0) throw new EmailTakenError();
    return skeleton;
  }

  private changed(id: number, manager?: EntityManager): void {
    this.rowChanges.announce('users', [id], manager);
  }

  private first(rows: Record<string, unknown>[]): User | null {
    return rows.length === 0 ? null : this.users.toEntity(rows[0]);
  }

  /** The row of a user the caller has just read or locked: its absence is a bug, answered as a 500. */
  private existing(user: User | null, id: number): User {
    if (!user) throw new Error(`No user ${id}`);
    return user;
  }
}

function emailTakenIfUniqueViolation(error: unknown): never {
  throw isUniqueViolation(error, 'UQ_users_email') ? new EmailTakenError() : error;
}
