import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { QUOTE_SESSION_STATUSES, type QuoteSessionStatus } from '../../common/reference-data';
import { User } from './user.entity';

@Entity('quote_sessions')
@Index('IDX_quote_sessions_user_id_created_at', ['userId', 'createdAt', 'id'])
@Check('CHK_quote_sessions_status', `"status" IN (${QUOTE_SESSION_STATUSES.map((status) => `'${status}'`).join(', ')})`)
export class QuoteSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'integer' })
  @Index('IDX_quote_sessions_user_id')
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  jobType: string | null;

  @Column({ type: 'varchar', length: 32, default: 'intake' })
  stage: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  paramsJson: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  messagesJson: unknown[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  photoUrls: string[];

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: QuoteSessionStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
