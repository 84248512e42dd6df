import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { QuoteSession } from '../database/entities';
import type { JobType } from '../reference-data';

@Injectable()
export class QuoteSessionsService {
  constructor(@InjectRepository(QuoteSession) private readonly sessions: Repository<QuoteSession>) {}

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
