import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Quote, User } from '../database/entities';
import type { CreateQuoteDto } from './dto/create-quote.dto';
import { QuoteSessionsService } from './quote-sessions.service';
import { POSTGRES_INT_MAX } from '../database/postgres-limits';


export interface QuotePage {
  items: Quote[];
  total: number;
}

@Injectable()
export class QuotesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: QuoteSessionsService,
  ) {}

  async create(owner: User, dto: CreateQuoteDto): Promise<Quote> {
    return this.dataSource.transaction(async (manager) => {
      if (dto.session_id) await this.sessions.findOwned(owner.id, dto.session_id, manager);
      const now = new Date();
      return manager.save(
        manager.create(Quote, {
          quoteNumber: await this.allocateQuoteNumber(manager, owner.id),
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
        }),
      );
    });
  }

  /** The owner's quotes, newest first (ids grow with creation, and (user_id, id) is indexed). */
  async list(ownerId: number, limit: number, offset: number): Promise<QuotePage> {
    const [items, total] = await this.dataSource.manager.findAndCount(Quote, {
      where: { userId: ownerId },
      order: { id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  /** Another shop's quote, a legacy quote without owner and a missing one all answer the same 404. */
  async findOwned(ownerId: number, id: number): Promise<Quote> {
    const quote = id <= POSTGRES_INT_MAX ? await this.dataSource.manager.findOneBy(Quote, { id, userId: ownerId }) : null;
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
  private async allocateQuoteNumber(manager: EntityManager, ownerId: number): Promise<string> {
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({ quoteSeq: () => 'quote_seq + 1' })
      .where('id = :ownerId', { ownerId })
      .returning('quote_seq')
      .execute();
    const sequence: number = result.raw[0].quote_seq;
    return `Q${ownerId}-${String(sequence).padStart(5, '0')}`;
  }
}
