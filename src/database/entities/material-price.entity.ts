import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

/**
 * The current price of one material from one supplier, in one scope: a shop's own (shop_id) or the shared
 * baseline (shop_id NULL). v1 rows keep their values; their enum names became lower-case keys.
 */
@Entity('material_prices')
@Index('ix_material_prices_id', ['id'])
// One current row per (scope, material_type, supplier), NULL scope and NULL supplier included. The index is
// UNIQUE NULLS NOT DISTINCT, which TypeORM cannot describe, so the migration owns it.
@Index('UQ_material_prices_current', { synchronize: false })
export class MaterialPrice {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'material_prices_pkey' })
  id: number;

  /** A profile key such as `sq_tube_2x11ga` (VARCHAR since v2). */
  @Column({ type: 'varchar' })
  materialType: string;

  @Column({ type: 'double precision', nullable: true })
  pricePerLb: number | null;

  @Column({ type: 'double precision', nullable: true })
  pricePerSqft: number | null;

  @Column({ type: 'double precision', nullable: true })
  pricePerFoot: number | null;

  @Column({ type: 'timestamp', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'varchar', nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  supplier: string | null;

  /** The date the supplier quoted this price (not when it was loaded). */
  @Column({ type: 'date', nullable: true })
  priceDate: string | null;

  /** Where the price came from, such as the file it was loaded from. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  source: string | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;
}
