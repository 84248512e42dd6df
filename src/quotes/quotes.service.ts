import { Inject, Injectable, NotFoundException } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService, type Transaction } from '../database/database.service';
import type { Quote, User } from '../database/entities';
import { isRowId } from '../database/postgres-limits';
import { UsersRepository } from '../users/users.repository';
import { dailyQuotaSince, enforceDailyQuota, enforceJsonSize } from './daily-quota';
import type { CreateQuoteDto } from './dto/create-quote.dto';
import { QuoteSessionsService } from './quote-sessions.service';
import { type QuotePage, QuotesRepository } from './quotes.repository';

@Injectable()
export class QuotesService {
  constructor(
    private readonly database: DatabaseService,
    private readonly quotes: QuotesRepository,
    private readonly users: UsersRepository,
    private readonly sessions: QuoteSessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A quote of the caller's shop, within its quotas (quotes a day, bytes of each JSON document). */
  async create(owner: User, dto: CreateQuoteDto): Promise<Quote> {
    const { quotesPerDay, quoteJsonBytes } = this.config.quotas;
    enforceJsonSize('inputs_json', dto.inputs_json, quoteJsonBytes);
    enforceJsonSize('outputs_json', dto.outputs_json, quoteJsonBytes);
    return this.database.transaction(async (manager) => {
      if (dto.session_id) await this.sessions.findOwned(owner.id, dto.session_id, manager);
      // Allocating the number locks the shop's row, so concurrent creations count one after the other.
      const quoteNumber = await this.allocateQuoteNumber(manager, owner.id);
      enforceDailyQuota(
        await this.quotes.recentCreations(manager, 'quotes', owner.id, dailyQuotaSince(), quotesPerDay),
        quotesPerDay,
        'quotes',
      );
      const now = new Date();
      return this.quotes.insertQuote(manager, {
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
    });
  }

  /** The owner's quotes, newest first. */
  list(ownerId: number, limit: number, offset: number): Promise<QuotePage> {
    return this.quotes.pageOfQuotes(ownerId, limit, offset);
  }

  /** Another shop's quote, a legacy quote without owner and a missing one all answer the same 404. */
  async findOwned(ownerId: number, id: number): Promise<Quote> {
    const quote = isRowId(id) ? await this.quotes.findQuote(ownerId, id) : null;
    if (!quote) throw new NotFoundException('Quote not found');
    return quote;
  }

  /**
   * The next number of the shop's own sequence, taken by advancing its counter in the caller's transaction: the
   * row lock serialises concurrent creations of one shop, other shops do not wait, and a rolled-back creation
   * gives its number back. Never a count or max+1.
   * DECISION: format `Q{shop id}-{sequence, 5 digits}`: unique across shops through the shop id, carries no
   * shop name, and never collides with v1 numbers (`CS-YYYY-NNNN`).
   */
  private async allocateQuoteNumber(manager: Transaction, ownerId: number): Promise<string> {
    const sequence = await this.users.advanceQuoteSequence(manager, ownerId);
    return `Q${ownerId}-${String(sequence).padStart(5, '0')}`;
  }
}
