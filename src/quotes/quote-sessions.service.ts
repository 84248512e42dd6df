import { ConflictException, HttpStatus, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';

import type { JobType, QuoteSessionStatus } from '../common/reference-data';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService, type Transaction } from '../database/database.service';
import type { QuoteSession } from '../database/entities';
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
    return this.idempotency.once(ownerId, retry, HttpStatus.CREATED, async (manager) => {
      // The shop's row lock makes concurrent creations count one after the other.
      await this.users.lock(manager, ownerId);
      enforceDailyQuota(
        await this.quotes.recentCreations(manager, 'quote_sessions', ownerId, dailyQuotaSince(), limit),
        limit,
        'quote sessions',
      );
      return toQuoteSessionResponse(await this.create(ownerId, jobType, manager));
    });
  }

  create(ownerId: number, jobType: JobType | null, manager: Transaction): Promise<QuoteSession> {
    return this.quotes.insertSession(manager, ownerId, jobType);
  }

  async findOwned(ownerId: number, id: string, manager?: Transaction): Promise<QuoteSession> {
    const session = await this.quotes.findSession(ownerId, id, manager);
    if (!session) throw new NotFoundException('Quote session not found');
    return session;
  }

  list(ownerId: number, status: QuoteSessionStatus | undefined, limit: number, offset: number): Promise<RowPage<QuoteSession>> {
    return this.quotes.pageOfSessions(ownerId, status, limit, offset);
  }

  async update(ownerId: number, id: string, dto: UpdateQuoteSessionDto, ifMatch: IfMatch): Promise<QuoteSessionResponse> {
    enforceJsonSize('params_json', dto.params_json, this.config.quotas.quoteJsonBytes);
    return this.database.transaction(async (manager) => {
      const session = await this.lockActive(manager, ownerId, id, ifMatch);
      const changes: SessionChanges = { stage: dto.stage, paramsJson: dto.params_json, photoUrls: dto.photo_urls, jobType: dto.job_type };
      const given = withoutAbsent(changes);
      if (Object.keys(given).length === 0) return toQuoteSessionResponse(session);
      return toQuoteSessionResponse(await this.quotes.updateSession(manager, id, given));
    });
  }

  appendMessage(ownerId: number, id: string, message: SessionMessageDto, retry?: IdempotentRequest): Promise<QuoteSessionResponse> {
    const { sessionMessages, quoteJsonBytes } = this.config.quotas;
    return this.idempotency.once(ownerId, retry, HttpStatus.CREATED, async (manager) => {
      const session = await this.lockActive(manager, ownerId, id, undefined, false);
      if (session.messagesJson.length >= sessionMessages)
        throw new PayloadTooLargeException(`A quote session holds at most ${sessionMessages} messages (QUOTA_SESSION_MESSAGES)`);
      const messages = [...session.messagesJson, { role: message.role, content: message.content, at: new Date().toISOString() }];
      enforceJsonSize('messages_json', messages, quoteJsonBytes);
      return toQuoteSessionResponse(await this.quotes.updateSession(manager, id, { messagesJson: messages }));
    });
  }

  end(ownerId: number, id: string, status: Exclude<QuoteSessionStatus, 'active'>, ifMatch: IfMatch, retry?: IdempotentRequest) {
    return this.idempotency.once(ownerId, retry, HttpStatus.OK, async (manager) => {
      await this.lockActive(manager, ownerId, id, ifMatch);
      return toQuoteSessionResponse(await this.quotes.updateSession(manager, id, { status }));
    });
  }

  private async lockActive(manager: Transaction, ownerId: number, id: string, ifMatch: IfMatch, versioned = true): Promise<QuoteSession> {
    const session = await this.quotes.lockSession(manager, ownerId, id);
    if (!session) throw new NotFoundException('Quote session not found');
    if (versioned) enforceIfMatch(ifMatch, session.version, this.config.requireIfMatch, 'quote session');
    if (session.status !== 'active')
      throw new ConflictException(`The quote session is ${session.status}: only an active session can change`);
    return session;
  }
}
