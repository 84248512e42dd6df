import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { Customer } from './customer.entity';
import { QUOTE_STATUSES, type QuoteStatus } from './legacy-enums';
import { QuoteSession } from './quote-session.entity';
import { User } from './user.entity';

/** The v1 columns keep their v1 types (timestamps without time zone, FLOAT money); legacy quotes have no owner. */
@Entity('quotes')
@Index('ix_quotes_id', ['id'])
@Index('IDX_quotes_user_id_id', ['userId', 'id'])
@Index('IDX_quotes_user_id_created_at', ['userId', 'createdAt', 'id'])
@Index('IDX_quotes_user_id_updated_at', ['userId', 'updatedAt', 'id'])
@Index('IDX_quotes_user_id_status_created_at', ['userId', 'status', 'createdAt', 'id'])
// (user_id, length(quote_number), quote_number): a shop's numbers in numeric order.
@Index('IDX_quotes_user_id_quote_number', { synchronize: false })
@Unique('quotes_quote_number_key', ['quoteNumber'])
export class Quote {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'quotes_pkey' })
  id: number;

  @Column({ type: 'varchar' })
  quoteNumber: string;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Customer, { name: 'quotes_customer_id_fkey' })
  customerId: number | null;

  @Column({ type: 'enum', enum: QUOTE_STATUSES, enumName: 'quotestatus', nullable: true })
  status: QuoteStatus | null;

  /** VARCHAR since v2: legacy enum names lower-cased, new values from JOB_TYPES. */
  @Column({ type: 'varchar', nullable: true })
  jobType: string | null;

  @Column({ type: 'text', nullable: true })
  projectDescription: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'double precision', nullable: true })
  laborRate: number | null;

  @Column({ type: 'double precision', nullable: true })
  wasteFactor: number | null;

  @Column({ type: 'double precision', nullable: true })
  materialMarkupPct: number | null;

  @Column({ type: 'double precision', nullable: true })
  stainlessMultiplier: number | null;

  @Column({ type: 'double precision', nullable: true })
  contingencyPct: number | null;

  @Column({ type: 'double precision', nullable: true })
  profitMarginPct: number | null;

  @Column({ type: 'double precision', nullable: true })
  markup: number | null;

  @Column({ type: 'double precision', nullable: true })
  subtotal: number | null;

  @Column({ type: 'double precision', nullable: true })
  total: number | null;

  @Column({ type: 'integer', nullable: true })
  validDays: number | null;

  @Column({ type: 'varchar', nullable: true })
  region: string | null;

  @Column({ type: 'timestamp', nullable: true })
  createdAt: Date | null;

  @Column({ type: 'timestamp', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User)
  userId: number | null;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => QuoteSession, { onDelete: 'SET NULL' })
  sessionId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  inputsJson: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  outputsJson: Record<string, unknown>;

  @Column({ type: 'integer', default: 15 })
  selectedMarkupPct: number;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  pdfUrl: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;
}
