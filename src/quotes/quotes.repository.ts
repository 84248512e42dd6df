import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

import { Quote, QuoteSession } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import type { SqlClient } from '../database/sql-client';

/** What a new quote is created with; every other column takes its default. */
export type NewQuote = Pick<
  Quote,
  | 'quoteNumber'
  | 'userId'
  | 'sessionId'
  | 'jobType'
  | 'status'
  | 'projectDescription'
  | 'notes'
  | 'inputsJson'
  | 'outputsJson'
  | 'selectedMarkupPct'
  | 'createdAt'
  | 'updatedAt'
>;

export interface QuotePage {
  items: Quote[];
  total: number;
}

/** The shop's latest creations in a window, counted up to a limit, and the oldest of those counted. */
export interface RecentCreations {
  count: number;
  oldest: Date | null;
}

/**
 * The SQL of `quotes` (with the v1 `quote_line_items` under them) and `quote_sessions`. Every query but the
 * inserts names the owning shop: a row of another shop is never read.
 */
@Injectable()
export class QuotesRepository {
  private readonly quotes: EntityRows<Quote>;
  private readonly sessions: EntityRows<QuoteSession>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.quotes = new EntityRows(dataSource, Quote);
    this.sessions = new EntityRows(dataSource, QuoteSession);
  }

  async insertQuote(manager: EntityManager, quote: NewQuote): Promise<Quote> {
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO quotes (quote_number, user_id, session_id, job_type, status, project_description, notes, inputs_json, outputs_json,
                           selected_markup_pct, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING ${this.quotes.columns}`,
      [
        quote.quoteNumber,
        quote.userId,
        quote.sessionId,
        quote.jobType,
        quote.status,
        quote.projectDescription,
        quote.notes,
        JSON.stringify(quote.inputsJson),
        JSON.stringify(quote.outputsJson),
        quote.selectedMarkupPct,
        quote.createdAt,
        quote.updatedAt,
      ],
    );
    return this.quotes.toEntity(rows[0]);
  }

  /** The shop's quotes, newest first (ids grow with creation, and (user_id, id) is indexed). */
  async pageOfQuotes(ownerId: number, limit: number, offset: number): Promise<QuotePage> {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT ${this.quotes.columns} FROM quotes WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
        [ownerId, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>('SELECT count(*)::integer AS total FROM quotes WHERE user_id = $1', [ownerId]),
    ]);
    return { items: rows.map((row) => this.quotes.toEntity(row)), total };
  }

  async findQuote(ownerId: number, id: number): Promise<Quote | null> {
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${this.quotes.columns} FROM quotes WHERE id = $1 AND user_id = $2`,
      [id, ownerId],
    );
    return row === undefined ? null : this.quotes.toEntity(row);
  }

  /** The shop's quotes and their v1 line items: quotes do not cascade from their owner. */
  async deleteQuotesOf(manager: EntityManager, ownerId: number): Promise<void> {
    await manager.query(`DELETE FROM quote_line_items WHERE quote_id IN (SELECT id FROM quotes WHERE user_id = $1)`, [ownerId]);
    await manager.query(`DELETE FROM quotes WHERE user_id = $1`, [ownerId]);
  }

  /** A new session in the intake stage. */
  async insertSession(manager: EntityManager, ownerId: number, jobType: string | null): Promise<QuoteSession> {
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO quote_sessions (user_id, job_type) VALUES ($1, $2) RETURNING ${this.sessions.columns}`,
      [ownerId, jobType],
    );
    return this.sessions.toEntity(rows[0]);
  }

  async findSession(ownerId: number, id: string, manager: EntityManager = this.dataSource.manager): Promise<QuoteSession | null> {
    const [row]: Record<string, unknown>[] = await manager.query(
      `SELECT ${this.sessions.columns} FROM quote_sessions WHERE id = $1 AND user_id = $2`,
      [id, ownerId],
    );
    return row === undefined ? null : this.sessions.toEntity(row);
  }

  /** The shop's latest rows of `table` created after `since`, counted up to `limit`. */
  async recentCreations(
    manager: EntityManager,
    table: 'quotes' | 'quote_sessions',
    ownerId: number,
    since: Date,
    limit: number,
  ): Promise<RecentCreations> {
    const [recent]: RecentCreations[] = await manager.query(
      `SELECT count(*)::int AS count, min(created_at) AS oldest FROM (
         SELECT created_at FROM ${table} WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3) recent`,
      [ownerId, since, limit],
    );
    return recent;
  }

  /** Which of `ids` are quotes of the scope: the shop's own, or (shopId null) the shared baseline's unowned ones. */
  async idsInScope(sql: SqlClient, ids: number[], shopId: number | null): Promise<Set<number>> {
    const found: { id: number }[] = await sql.query(
      'SELECT id FROM quotes WHERE id = ANY($1::integer[]) AND user_id IS NOT DISTINCT FROM $2::integer',
      [ids, shopId],
    );
    return new Set(found.map((row) => row.id));
  }
}
