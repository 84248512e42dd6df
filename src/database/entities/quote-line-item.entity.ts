import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { LEGACY_MATERIAL_TYPES, type LegacyMaterialType, PROCESS_TYPES, type ProcessType } from './legacy-enums';
import { Quote } from './quote.entity';

@Entity('quote_line_items')
@Index('ix_quote_line_items_id', ['id'])
export class QuoteLineItem {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'quote_line_items_pkey' })
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Quote, { name: 'quote_line_items_quote_id_fkey' })
  quoteId: number | null;

  @Column({ type: 'varchar' })
  description: string;

  @Column({ type: 'enum', enum: LEGACY_MATERIAL_TYPES, enumName: 'materialtype', nullable: true })
  materialType: LegacyMaterialType | null;

  @Column({ type: 'enum', enum: PROCESS_TYPES, enumName: 'processtype', nullable: true })
  processType: ProcessType | null;

  @Column({ type: 'double precision', nullable: true })
  quantity: number | null;

  @Column({ type: 'varchar', nullable: true })
  unit: string | null;

  @Column({ type: 'double precision', nullable: true })
  dimLength: number | null;

  @Column({ type: 'double precision', nullable: true })
  dimWidth: number | null;

  @Column({ type: 'double precision', nullable: true })
  dimThickness: number | null;

  @Column({ type: 'double precision', nullable: true })
  weightLbs: number | null;

  @Column({ type: 'double precision', nullable: true })
  wasteFactor: number | null;

  @Column({ type: 'double precision', nullable: true })
  materialCost: number | null;

  @Column({ type: 'double precision', nullable: true })
  laborHours: number | null;

  @Column({ type: 'double precision', nullable: true })
  processRateOverride: number | null;

  @Column({ type: 'double precision', nullable: true })
  laborCost: number | null;

  @Column({ type: 'boolean', nullable: true })
  outsourced: boolean | null;

  @Column({ type: 'varchar', nullable: true })
  outsourceService: string | null;

  @Column({ type: 'double precision', nullable: true })
  outsourceRatePerSqft: number | null;

  @Column({ type: 'double precision', nullable: true })
  sqFt: number | null;

  @Column({ type: 'double precision', nullable: true })
  lineTotal: number | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;
}
