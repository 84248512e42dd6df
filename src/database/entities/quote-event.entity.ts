import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { Quote } from './quote.entity';
import { User } from './user.entity';

export const QUOTE_EVENT_ACTIONS = ['create', 'edit', 'send', 'accept', 'decline', 'reopen', 'archive', 'restore'] as const;
export type QuoteEventAction = (typeof QUOTE_EVENT_ACTIONS)[number];

/** Append-only. */
@Entity('quote_events')
@Index('IDX_quote_events_quote_id_id', ['quoteId', 'id'])
@Check('CHK_quote_events_action', `"action" IN (${QUOTE_EVENT_ACTIONS.map((action) => `'${action}'`).join(', ')})`)
export class QuoteEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => Quote, { onDelete: 'CASCADE' })
  quoteId: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  actorId: number;

  @Column({ type: 'varchar', length: 16 })
  action: QuoteEventAction;

  /** As the API names it (null for a creation). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus: string | null;

  @Column({ type: 'varchar', length: 16 })
  toStatus: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  fields: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
