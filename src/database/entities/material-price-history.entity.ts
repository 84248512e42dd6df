import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { Supplier } from './supplier.entity';
import { User } from './user.entity';

/** Append-only: every price observation ever loaded, once each, so that an override never loses a price. */
@Entity('material_price_history')
@Index('IDX_material_price_history_material_type', ['materialType'])
@Index('IDX_material_price_history_supplier_id', ['supplierId'])
// UNIQUE NULLS NOT DISTINCT, so the migration owns it.
@Index('UQ_material_price_history_observation', { synchronize: false })
export class MaterialPriceHistory {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;

  @Column({ type: 'varchar' })
  materialType: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  supplier: string | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Supplier)
  supplierId: number | null;

  @Column({ type: 'text', nullable: true })
  rawDescription: string | null;

  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'date', nullable: true })
  priceDate: string | null;

  @Column({ type: 'double precision', nullable: true })
  pricePerFoot: number | null;

  @Column({ type: 'double precision', nullable: true })
  pricePerLb: number | null;

  @Column({ type: 'double precision', nullable: true })
  pricePerSqft: number | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  source: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
