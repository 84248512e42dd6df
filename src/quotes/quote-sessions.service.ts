import { ConflictException, HttpStatus, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';

import type { JobType, QuoteSessionStatus } from '../common/reference-data';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { QuoteSession } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import { UsersRepository } from '../users/users.repository';
import { withoutAbsent } from './changes';
import { dailyQuotaSince, enforceDailyQuota, enforceJsonSize } from './daily-quota';
import { type QuoteSessionResponse, toQuoteSessionResponse } from './dto/quote-session.response';
import type { SessionMessageDto } from './dto/session-message.dto';
import type { UpdateQuoteSessionDto } from './dto/update-quote-session.dto';
import { IdempotencyService } from './idempotency/idempotency.service';
import type { IdempotentRequest } from './idempotency/idempotent-request';
import { QuotesRepository, type RowPage, type SessionChanges } from './quotes.repository';
import { enforceIfMatch, type IfMatch } from './versioning';

@Injectable()
export class QuoteSessionsService {
  constructor(
    private readonly database: DatabaseService,
    private readonly quotes: QuotesRepository,
    private readonly users: UsersRepository,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  createWithinQuota(ownerId: number, jobType: JobType | null, retry?: IdempotentRequest): Promise<QuoteSessionResponse> {
    const limit = this.config.quotas.quoteSessionsPerDay;
    return this.idempotency.once(ownerId, retry, HttpStatus.CREATED, async (sql) => {
      // The shop's row lock makes concurrent creations count one after the other.
      await this.users.lock(sql, ownerId);
      enforceDailyQuota(
        await this.quotes.recentCreations(sql, 'quote_sessions', ownerId, dailyQuotaSince(), limit),
        limit,
        'quote sessions',
      );
      return toQuoteSessionResponse(await this.create(sql, ownerId, jobType));
    });
  }

  create(sql: SqlClient, ownerId: number, jobType: JobType | null): Promise<QuoteSession> {
    return this.quotes.insertSession(sql, ownerId, jobType);
  }

  findOwned(ownerId: number, id: string): Promise<QuoteSession> {
    return this.requireOwned(this.database.pool, ownerId, id);
  }

  async requireOwned(sql: SqlClient, ownerId: number, id: string): Promise<QuoteSession> {
    const session = await this.quotes.findSession(sql, ownerId, id);
    if (!session) throw new NotFoundException('Quote session not found');
    return session;
  }

  list(ownerId: number, status: QuoteSessionStatus | undefined, limit: number, offset: number): Promise<RowPage<QuoteSession>> {
    return this.quotes.pageOfSessions(this.database.pool, ownerId, status, limit, offset);
  }

  async update(ownerId: number, id: string, dto: UpdateQuoteSessionDto, ifMatch: IfMatch): Promise<QuoteSessionResponse> {
    enforceJsonSize('params_json', dto.params_json, this.config.quotas.quoteJsonBytes);
    return this.database.transaction(async (sql) => {
      const session = await this.lockActive(sql, ownerId, id, ifMatch);
      const changes: SessionChanges = { stage: dto.stage, paramsJson: dto.params_json, photoUrls: dto.photo_urls, jobType: dto.job_type };
      const given = withoutAbsent(changes);
      if (Object.keys(given).length === 0) return toQuoteSessionResponse(session);
      return toQuoteSessionResponse(await this.quotes.updateSession(sql, id, given));
    });
  }

  appendMessage(ownerId: number, id: string, message: SessionMessageDto, retry?: IdempotentRequest): Promise<QuoteSessionResponse> {
    const { sessionMessages, quoteJsonBytes } = this.config.quotas;
    return this.idempotency.once(ownerId, retry, HttpStatus.CREATED, async (sql) => {
      const session = await this.lockActive(sql, ownerId, id, undefined, false);
      if (session.messagesJson.length >= sessionMessages)
        throw new PayloadTooLargeException(`A quote session holds at most ${sessionMessages} messages (QUOTA_SESSION_MESSAGES)`);
      const messages = [...session.messagesJson, { role: message.role, content: message.content, at: new Date().toISOString() }];
      enforceJsonSize('messages_json', messages, quoteJsonBytes);
      return toQuoteSessionResponse(await this.quotes.updateSession(sql, id, { messagesJson: messages }));
    });
  }

  end(ownerId: number, id: string, status: Exclude<QuoteSessionStatus, 'active'>, ifMatch: IfMatch, retry?: IdempotentRequest) {
    return this.idempotency.once(ownerId, retry, HttpStatus.OK, async (sql) => {
      await this.lockActive(sql, ownerId, id, ifMatch);
      return toQuoteSessionResponse(await this.quotes.updateSession(sql, id, { status }));
    });
  }

  private async lockActive(sql: SqlClient, ownerId: number, id: string, ifMatch: IfMatch, versioned = true): Promise<QuoteSession> {
    const session = await this.quotes.lockSession(sql, ownerId, id);
    if (!session) throw new NotFoundException('Quote session not found');
    if (versioned) enforceIfMatch(ifMatch, session.version, this.config.requireIfMatch, 'quote session');
    if (session.status !== 'active')
      throw new ConflictException(`The quote session is ${session.status}: only an active session can change`);
    return session;
  }
}
