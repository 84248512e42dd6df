import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { QuoteSession } from '../database/entities';
import type { JobType } from '../reference-data';
import { enforceDailyQuota } from './daily-quota';

@Injectable()
export class QuoteSessionsService {
  constructor(
    @InjectRepository(QuoteSession) private readonly sessions: Repository<QuoteSession>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** POST /api/quote-sessions: a new session, within the shop's sessions a day. */
  async createWithinQuota(ownerId: number, jobType: JobType | null): Promise<QuoteSession> {
    return this.sessions.manager.transaction(async (manager) => {
      // The shop's row lock makes concurrent creations count one after the other.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [ownerId]);
      await enforceDailyQuota(manager, 'quote_sessions', ownerId, this.config.quotas.quoteSessionsPerDay, 'quote sessions');
      return this.create(ownerId, jobType, manager);
    });
  }

  /** A new session in the intake stage. `manager` lets a caller's transaction (guest creation) include it. */
  async create(ownerId: number, jobType: JobType | null = null, manager: EntityManager = this.sessions.manager): Promise<QuoteSession> {
    return manager.save(manager.create(QuoteSession, { userId: ownerId, jobType }));
  }

  /** Another shop's session answers exactly like a missing one. */
  async findOwned(ownerId: number, id: string, manager: EntityManager = this.sessions.manager): Promise<QuoteSession> {
    const session = await manager.findOneBy(QuoteSession, { id, userId: ownerId });
    if (!session) throw new NotFoundException('Quote session not found');
    return session;
  }
}
