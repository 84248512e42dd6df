import { BadRequestException, ConflictException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';

import { refuseGuestWrite } from '../common/guest-writes';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { Quote, QuoteEventAction, QuoteStatus, User } from '../database/entities';
import type { QuoteEvent } from '../database/entities';
import { isRowId } from '../database/postgres-limits';
import type { SqlClient } from '../database/sql-client';
import { UsersRepository } from '../users/users.repository';
import { withoutAbsent } from './changes';
import { dailyQuotaSince, enforceDailyQuota, enforceJsonSize } from './daily-quota';
import type { CreateQuoteDto } from './dto/create-quote.dto';
import { type QuoteResponse, toQuoteResponse } from './dto/quote.response';
import type { QuoteListQuery } from './dto/quote-list.query';
import { NOT_NULL_FIELDS, type UpdateQuoteDto } from './dto/update-quote.dto';
import { IdempotencyService } from './idempotency/idempotency.service';
import type { IdempotentRequest } from './idempotency/idempotent-request';
import { QuoteSessionsService } from './quote-sessions.service';
import { apiStatus, MOVE_RULES, movesFrom, type QuoteMove } from './quote-status';
import { type QuoteChanges, type QuotePage, QuotesRepository, type RowPage } from './quotes.repository';
import { enforceIfMatch, type IfMatch } from './versioning';

@Injectable()
export class QuotesService {
  constructor(
    private readonly database: DatabaseService,
    private readonly quotes: QuotesRepository,
    private readonly users: UsersRepository,
    private readonly sessions: QuoteSessionsService,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(owner: User, dto: CreateQuoteDto, retry?: IdempotentRequest): Promise<QuoteResponse> {
    const { quotesPerDay } = this.config.quotas;
    this.enforceJsonSizes(dto);
    return this.idempotency.once(owner.id, retry, HttpStatus.CREATED, async (sql) => {
      if (dto.session_id) await this.sessions.requireOwned(sql, owner.id, dto.session_id);
      // Allocating the number locks the shop's row, so concurrent creations count one after the other.
      const quoteNumber = await this.allocateQuoteNumber(sql, owner.id);
      enforceDailyQuota(
        await this.quotes.recentCreations(sql, 'quotes', owner.id, dailyQuotaSince(), quotesPerDay),
        quotesPerDay,
        'quotes',
      );
      const now = new Date();
      const quote = await this.quotes.insertQuote(sql, {
        quoteNumber,
        userId: owner.id,
        sessionId: dto.session_id ?? null,
        jobType: dto.job_type,
        status: 'DRAFT',
        projectDescription: dto.project_description ?? null,
        notes: dto.notes ?? null,
        inputsJson: dto.inputs_json ?? {},
        outputsJson: dto.outputs_json ?? {},
        selectedMarkupPct: dto.selected_markup_pct ?? owner.markupDefault,
        createdAt: now,
        updatedAt: now,
      });
      await this.record(sql, owner, quote, 'create', null);
      return toQuoteResponse(quote);
    });
  }

  list(ownerId: number, query: QuoteListQuery): Promise<QuotePage> {
    const filter = {
      archived: query.archived,
      status: query.status?.toUpperCase() as QuoteStatus | undefined,
      jobType: query.job_type,
      createdFrom: query.created_from === undefined ? undefined : new Date(query.created_from),
      createdTo: query.created_to === undefined ? undefined : new Date(query.created_to),
      q: query.q?.trim() || undefined,
      sort: query.sort,
    };
    return this.quotes.pageOfQuotes(this.database.pool, ownerId, filter, query.limit, query.offset);
  }

  /** A legacy quote without owner answers the same 404. */
  async findOwned(ownerId: number, id: number): Promise<Quote> {
    const quote = isRowId(id) ? await this.quotes.findQuote(this.database.pool, ownerId, id) : null;
    if (!quote) throw new NotFoundException('Quote not found');
    return quote;
  }

  async events(ownerId: number, id: number, limit: number, offset: number): Promise<RowPage<QuoteEvent>> {
    await this.findOwned(ownerId, id);
    return this.quotes.pageOfEvents(this.database.pool, id, limit, offset);
  }

  async update(owner: User, id: number, dto: UpdateQuoteDto, ifMatch: IfMatch): Promise<QuoteResponse> {
    const nulls = NOT_NULL_FIELDS.filter((field) => dto[field] === null);
    if (nulls.length) throw new BadRequestException(nulls.map((field) => `${field} cannot be null`));
    this.enforceJsonSizes(dto);
    return this.database.transaction(async (sql) => {
      const quote = await this.lockForChange(sql, owner.id, id, ifMatch);
      if (quote.status !== 'DRAFT') throw new ConflictException(`The quote is ${apiStatus(quote.status)}: only a draft can be edited`);
      if (dto.session_id) await this.sessions.requireOwned(sql, owner.id, dto.session_id);
      const changes: QuoteChanges = {
        projectDescription: dto.project_description,
        notes: dto.notes,
        jobType: dto.job_type,
        inputsJson: dto.inputs_json,
        outputsJson: dto.outputs_json,
        selectedMarkupPct: dto.selected_markup_pct,
        pdfUrl: dto.pdf_url,
        sessionId: dto.session_id,
      };
      const fields = Object.keys(withoutAbsent(dto)).sort();
      if (fields.length === 0) return toQuoteResponse(quote);
      const updated = await this.quotes.updateQuote(sql, id, withoutAbsent(changes), new Date());
      await this.record(sql, owner, updated, 'edit', quote.status, fields);
      return toQuoteResponse(updated);
    });
  }

  move(owner: User, id: number, move: QuoteMove, ifMatch: IfMatch, retry?: IdempotentRequest): Promise<QuoteResponse> {
    // DECISION: a guest works on its drafts; sending one to a customer takes a claimed account (403), as imports do.
    if (move === 'send') refuseGuestWrite(owner, 'send a quote');
    return this.idempotency.once(owner.id, retry, HttpStatus.OK, async (sql) => {
      const quote = await this.lockForChange(sql, owner.id, id, ifMatch);
      const rule = MOVE_RULES[move];
      if (quote.status === null || !rule.from.includes(quote.status)) {
        const allowed = movesFrom(quote.status);
        throw new ConflictException({
          statusCode: HttpStatus.CONFLICT,
          message: `The quote is ${apiStatus(quote.status)}: it cannot ${move}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : 'no move is allowed'}`,
          error: 'Conflict',
          status: apiStatus(quote.status),
          allowed_moves: allowed,
        });
      }
      const now = new Date();
      const stamps: QuoteChanges =
        move === 'send' ? { sentAt: now } : move === 'reopen' ? { sentAt: null, decidedAt: null } : { decidedAt: now };
      const updated = await this.quotes.updateQuote(sql, id, { status: rule.to, ...stamps }, now);
      await this.record(sql, owner, updated, move, quote.status);
      return toQuoteResponse(updated);
    });
  }

  /** The number stays taken. */
  async archive(owner: User, id: number, ifMatch: IfMatch): Promise<void> {
    await this.database.transaction(async (sql) => {
      const quote = await this.lockForChange(sql, owner.id, id, ifMatch, true);
      if (quote.archivedAt) return;
      const updated = await this.quotes.updateQuote(sql, id, { archivedAt: new Date() }, new Date());
      await this.record(sql, owner, updated, 'archive', quote.status);
    });
  }

  restore(owner: User, id: number, ifMatch: IfMatch, retry?: IdempotentRequest): Promise<QuoteResponse> {
    return this.idempotency.once(owner.id, retry, HttpStatus.OK, async (sql) => {
      const quote = await this.lockForChange(sql, owner.id, id, ifMatch, true);
      if (!quote.archivedAt) throw new ConflictException('The quote is not archived');
      const updated = await this.quotes.updateQuote(sql, id, { archivedAt: null }, new Date());
      await this.record(sql, owner, updated, 'restore', quote.status);
      return toQuoteResponse(updated);
    });
  }

  private async lockForChange(sql: SqlClient, ownerId: number, id: number, ifMatch: IfMatch, archivedToo = false): Promise<Quote> {
    const quote = isRowId(id) ? await this.quotes.lockQuote(sql, ownerId, id) : null;
    if (!quote) throw new NotFoundException('Quote not found');
    enforceIfMatch(ifMatch, quote.version, this.config.requireIfMatch, 'quote');
    if (quote.archivedAt && !archivedToo) throw new ConflictException('The quote is archived: restore it first');
    return quote;
  }

  private record(sql: SqlClient, actor: User, quote: Quote, action: QuoteEventAction, from: QuoteStatus | null, fields: string[] = []) {
    return this.quotes.insertEvent(sql, {
      quoteId: quote.id,
      actorId: actor.id,
      action,
      fromStatus: apiStatus(from),
      toStatus: apiStatus(quote.status)!,
      fields,
    });
  }

  private enforceJsonSizes(dto: Pick<CreateQuoteDto, 'inputs_json' | 'outputs_json'>): void {
    enforceJsonSize('inputs_json', dto.inputs_json, this.config.quotas.quoteJsonBytes);
    enforceJsonSize('outputs_json', dto.outputs_json, this.config.quotas.quoteJsonBytes);
  }

  private async allocateQuoteNumber(sql: SqlClient, ownerId: number): Promise<string> {
    const sequence = await this.users.advanceQuoteSequence(sql, ownerId);
    return `Q${ownerId}-${String(sequence).padStart(5, '0')}`;
  }
}
