import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { Quote, QuoteEvent, QuoteSession, type QuoteStatus } from '../database/entities';
import { EntityRows } from '../database/entity-rows';
import type { SqlClient } from '../database/sql-client';

/** Every other column takes its default. */
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

export interface RowPage<T> {
  items: T[];
  total: number;
}

export type QuotePage = RowPage<Quote>;

export interface Statement {
  text: string;
  values: unknown[];
}

export const QUOTE_SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at', 'quote_number', '-quote_number'] as const;
export type QuoteSort = (typeof QUOTE_SORTS)[number];

export interface QuoteFilter {
  archived: boolean;
  status?: QuoteStatus;
  jobType?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** A quote number, or words that must all appear in the description. */
  q?: string;
  sort: QuoteSort;
}

export interface PageStatements {
  page: Statement;
  total: Statement;
}

/** `version` and `updated_at` move with every change. */
export type QuoteChanges = Partial<
  Pick<
    Quote,
    | 'projectDescription'
    | 'notes'
    | 'jobType'
    | 'inputsJson'
    | 'outputsJson'
    | 'selectedMarkupPct'
    | 'pdfUrl'
    | 'sessionId'
    | 'status'
    | 'sentAt'
    | 'decidedAt'
    | 'archivedAt'
  >
>;

export type SessionChanges = Partial<Pick<QuoteSession, 'stage' | 'paramsJson' | 'photoUrls' | 'jobType' | 'messagesJson' | 'status'>>;

export type NewQuoteEvent = Pick<QuoteEvent, 'quoteId' | 'actorId' | 'action' | 'fromStatus' | 'toStatus' | 'fields'>;

export interface RecentCreations {
  count: number;
  oldest: Date | null;
}

/** Every query but the inserts names the owning shop: a row of another shop is never read. */
@Injectable()
export class QuotesRepository {
  private readonly quotes: EntityRows<Quote>;
  private readonly sessions: EntityRows<QuoteSession>;
  private readonly events: EntityRows<QuoteEvent>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.quotes = new EntityRows(dataSource, Quote);
    this.sessions = new EntityRows(dataSource, QuoteSession);
    this.events = new EntityRows(dataSource, QuoteEvent);
  }

  async insertQuote(sql: SqlClient, quote: NewQuote): Promise<Quote> {
    const rows: Record<string, unknown>[] = await sql.query(
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

  pageOfQuotes(sql: SqlClient, ownerId: number, filter: QuoteFilter, limit: number, offset: number): Promise<QuotePage> {
    return this.page(sql, this.quotes, this.quotePageStatements(ownerId, filter, limit, offset));
  }

  /** Each sort has an index led by user_id (then status), so a page is one index scan whatever the shop's size. */
  quotePageStatements(ownerId: number, filter: QuoteFilter, limit: number, offset: number): PageStatements {
    const values: unknown[] = [ownerId];
    const where = ['user_id = $1', `archived_at IS ${filter.archived ? 'NOT ' : ''}NULL`];
    const parameter = (value: unknown) => `$${values.push(value)}`;
    if (filter.status) where.push(`status = ${parameter(filter.status)}`);
    if (filter.jobType) where.push(`job_type = ${parameter(filter.jobType)}`);
    if (filter.createdFrom) where.push(`created_at >= ${parameter(filter.createdFrom)}`);
    if (filter.createdTo) where.push(`created_at <= ${parameter(filter.createdTo)}`);
    if (filter.q) {
      const patterns = filter.q.split(/\s+/).map((word) => `%${word.replace(/[\\%_]/g, (special) => `\\${special}`)}%`);
      where.push(`(upper(quote_number) = upper(${parameter(filter.q)}) OR project_description ILIKE ALL(${parameter(patterns)}::text[]))`);
    }
    const descending = filter.sort.startsWith('-') ? ' DESC' : '';
    const column = filter.sort.replace('-', '');
    const order =
      column === 'quote_number'
        ? `length(quote_number)${descending}, quote_number${descending}`
        : `${column}${descending}, id${descending}`;
    const conditions = where.join(' AND ');
    return {
      page: {
        text: `SELECT ${this.quotes.columns} FROM quotes WHERE ${conditions} ORDER BY ${order} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        values: [...values, limit, offset],
      },
      total: { text: `SELECT count(*)::integer AS total FROM quotes WHERE ${conditions}`, values },
    };
  }

  async findQuote(sql: SqlClient, ownerId: number, id: number): Promise<Quote | null> {
    const [row]: Record<string, unknown>[] = await sql.query(`SELECT ${this.quotes.columns} FROM quotes WHERE id = $1 AND user_id = $2`, [
      id,
      ownerId,
    ]);
    return row === undefined ? null : this.quotes.toEntity(row);
  }

  lockQuote(sql: SqlClient, ownerId: number, id: number): Promise<Quote | null> {
    return this.lockOwned(sql, this.quotes, 'quotes', ownerId, id);
  }

  async updateQuote(sql: SqlClient, id: number, changes: QuoteChanges, now: Date): Promise<Quote> {
    const { sql: assignments, values } = this.quotes.assignments({ ...changes, updatedAt: now }, 2);
    const [[row]]: Record<string, unknown>[][] = await sql.query(
      `UPDATE quotes SET ${assignments}, version = version + 1 WHERE id = $1 RETURNING ${this.quotes.columns}`,
      [id, ...values],
    );
    return this.quotes.toEntity(row);
  }

  async insertEvent(sql: SqlClient, event: NewQuoteEvent): Promise<void> {
    await sql.query(
      `INSERT INTO quote_events (quote_id, actor_id, action, from_status, to_status, fields) VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.quoteId, event.actorId, event.action, event.fromStatus, event.toStatus, JSON.stringify(event.fields)],
    );
  }

  /** The caller has checked the quote is the shop's. */
  pageOfEvents(sql: SqlClient, quoteId: number, limit: number, offset: number): Promise<RowPage<QuoteEvent>> {
    return this.page(sql, this.events, {
      page: {
        text: `SELECT ${this.events.columns} FROM quote_events WHERE quote_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
        values: [quoteId, limit, offset],
      },
      total: { text: 'SELECT count(*)::integer AS total FROM quote_events WHERE quote_id = $1', values: [quoteId] },
    });
  }

  /** Quotes do not cascade from their owner. */
  async deleteQuotesOf(sql: SqlClient, ownerId: number): Promise<void> {
    await sql.query(`DELETE FROM quote_line_items WHERE quote_id IN (SELECT id FROM quotes WHERE user_id = $1)`, [ownerId]);
    await sql.query(`DELETE FROM quotes WHERE user_id = $1`, [ownerId]);
  }

  async insertSession(sql: SqlClient, ownerId: number, jobType: string | null): Promise<QuoteSession> {
    const rows: Record<string, unknown>[] = await sql.query(
      `INSERT INTO quote_sessions (user_id, job_type) VALUES ($1, $2) RETURNING ${this.sessions.columns}`,
      [ownerId, jobType],
    );
    return this.sessions.toEntity(rows[0]);
  }

  async findSession(sql: SqlClient, ownerId: number, id: string): Promise<QuoteSession | null> {
    const [row]: Record<string, unknown>[] = await sql.query(
      `SELECT ${this.sessions.columns} FROM quote_sessions WHERE id = $1 AND user_id = $2`,
      [id, ownerId],
    );
    return row === undefined ? null : this.sessions.toEntity(row);
  }

  pageOfSessions(
    sql: SqlClient,
    ownerId: number,
    status: string | undefined,
    limit: number,
    offset: number,
  ): Promise<RowPage<QuoteSession>> {
    const where = 'user_id = $1 AND ($2::varchar IS NULL OR status = $2)';
    const values = [ownerId, status ?? null];
    return this.page(sql, this.sessions, {
      page: {
        text: `SELECT ${this.sessions.columns} FROM quote_sessions WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
        values: [...values, limit, offset],
      },
      total: { text: `SELECT count(*)::integer AS total FROM quote_sessions WHERE ${where}`, values },
    });
  }

  lockSession(sql: SqlClient, ownerId: number, id: string): Promise<QuoteSession | null> {
    return this.lockOwned(sql, this.sessions, 'quote_sessions', ownerId, id);
  }

  async updateSession(sql: SqlClient, id: string, changes: SessionChanges): Promise<QuoteSession> {
    const { sql: assignments, values } = this.sessions.assignments(changes, 2);
    const [[row]]: Record<string, unknown>[][] = await sql.query(
      `UPDATE quote_sessions SET ${assignments}, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${this.sessions.columns}`,
      [id, ...values],
    );
    return this.sessions.toEntity(row);
  }

  async recentCreations(
    sql: SqlClient,
    table: 'quotes' | 'quote_sessions',
    ownerId: number,
    since: Date,
    limit: number,
  ): Promise<RecentCreations> {
    const [recent]: RecentCreations[] = await sql.query(
      `SELECT count(*)::int AS count, min(created_at) AS oldest FROM (
         SELECT created_at FROM ${table} WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3) recent`,
      [ownerId, since, limit],
    );
    return recent;
  }

  /** shopId null: the shared baseline's unowned quotes. */
  async idsInScope(sql: SqlClient, ids: number[], shopId: number | null): Promise<Set<number>> {
    const found: { id: number }[] = await sql.query(
      'SELECT id FROM quotes WHERE id = ANY($1::integer[]) AND user_id IS NOT DISTINCT FROM $2::integer',
      [ids, shopId],
    );
    return new Set(found.map((row) => row.id));
  }

  private async lockOwned<T extends object>(
    sql: SqlClient,
    rows: EntityRows<T>,
    table: 'quotes' | 'quote_sessions',
    ownerId: number,
    id: number | string,
  ): Promise<T | null> {
    const [row]: Record<string, unknown>[] = await sql.query(
      `SELECT ${rows.columns} FROM ${table} WHERE id = $1 AND user_id = $2 FOR UPDATE`,
      [id, ownerId],
    );
    return row === undefined ? null : rows.toEntity(row);
  }

  private async page<T extends object>(sql: SqlClient, rows: EntityRows<T>, statements: PageStatements): Promise<RowPage<T>> {
    const [found, [{ total }]] = await Promise.all([
      sql.query<Record<string, unknown>[]>(statements.page.text, statements.page.values),
      sql.query<{ total: number }[]>(statements.total.text, statements.total.values),
    ]);
    return { items: found.map((row) => rows.toEntity(row)), total };
  }
}
