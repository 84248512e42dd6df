import { Inject, Injectable, NotFoundException } from '@nestjs/common';

import type { JobType } from '../common/reference-data';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService, type Transaction } from '../database/database.service';
import type { QuoteSession } from '../database/entities';
import { UsersRepository } from '../users/users.repository';
import { dailyQuotaSince, enforceDailyQuota } from './daily-quota';
import { QuotesRepository } from './quotes.repository';

@Injectable()
export class QuoteSessionsService {
  constructor(
    private readonly database: DatabaseService,
    private readonly quotes: QuotesRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** POST /api/quote-sessions: a new session, within the shop's sessions a day. */
  async createWithinQuota(ownerId: number, jobType: JobType | null): Promise<QuoteSession> {
    const limit = this.config.quotas.quoteSessionsPerDay;
    return this.database.transaction(async (manager) => {
      // The shop's row lock makes concurrent creations count one after the other.
      await this.users.lock(manager, ownerId);
      enforceDailyQuota(
        await this.quotes.recentCreations(manager, 'quote_sessions', ownerId, dailyQuotaSince(), limit),
        limit,
        'quote sessions',
      );
      return this.create(ownerId, jobType, manager);
    });
  }

  /** A new session in the intake stage, in the caller's transaction (guest creation includes one). */
  create(ownerId: number, jobType: JobType | null, manager: Transaction): Promise<QuoteSession> {
    return this.quotes.insertSession(manager, ownerId, jobType);
  }

  /** Another shop's session answers exactly like a missing one. */
  async findOwned(ownerId: number, id: string, manager?: Transaction): Promise<QuoteSession> {
    const session = await this.quotes.findSession(ownerId, id, manager);
    if (!session) throw new NotFoundException('Quote session not found');
    return session;
  }
}
