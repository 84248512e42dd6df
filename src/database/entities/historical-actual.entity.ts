import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { Quote } from './quote.entity';
import { User } from './user.entity';

/** From a quote, or from a shop's invoice (no quote); re-loading an invoice updates its row. */
@Entity('historical_actuals')
// Partial UNIQUE NULLS NOT DISTINCT indexes, which TypeORM cannot describe, so the migration owns them.
@Index('UQ_historical_actuals_invoice', { synchronize: false })
@Index('UQ_historical_actuals_quote', { synchronize: false })
@Check('CHK_historical_actuals_identified', `"invoice_number" IS NOT NULL OR "quote_id" IS NOT NULL`)
export class HistoricalActual {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Quote, { onDelete: 'SET NULL' })
  quoteId: number | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  invoiceNumber: string | null;

  @Column({ type: 'date', nullable: true })
  invoiceDate: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  jobType: string | null;

  /** {process: hours}, processes from LABOR_PROCESSES. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  actualHoursByProcess: Record<string, number>;

  @Column({ type: 'double precision', nullable: true })
  totalHours: number | null;

  @Column({ type: 'double precision', nullable: true })
  quotedHours: number | null;

  @Column({ type: 'double precision', nullable: true })
  shopRate: number | null;

  @Column({ type: 'double precision', nullable: true })
  actualMaterialCost: number | null;

  @Column({ type: 'double precision', nullable: true })
  laborCost: number | null;

  @Column({ type: 'double precision', nullable: true })
  invoiceTotal: number | null;

  @Column({ type: 'double precision', nullable: true })
  variancePct: number | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  sourceFile: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
