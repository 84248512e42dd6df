import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { Supplier } from './supplier.entity';
import { User } from './user.entity';

/** Never converted into each other (that needs a weight table). */
export const PRICE_UNITS = ['foot', 'lb', 'sqft'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

const PRICE_COLUMN_OF_UNIT = { foot: 'price_per_foot', lb: 'price_per_lb', sqft: 'price_per_sqft' } as const;

/** A row holds the price of its `unit` only; a v1 row that priced several units became one row per unit. */
@Entity('material_prices')
@Index('ix_material_prices_id', ['id'])
@Index('IDX_material_prices_supplier_id', ['supplierId'])
// UNIQUE NULLS NOT DISTINCT (NULL scope and supplier included), which TypeORM cannot describe: the migration owns it.
@Index('UQ_material_prices_current', { synchronize: false })
@Check(
  'CHK_material_prices_unit',
  `num_nonnulls("price_per_foot", "price_per_lb", "price_per_sqft") = CASE WHEN "unit" IS NULL THEN 0 ELSE 1 END
   AND ("unit" IS NULL OR ${PRICE_UNITS.map((unit) => `("unit" = '${unit}' AND "${PRICE_COLUMN_OF_UNIT[unit]}" IS NOT NULL)`).join(' OR ')})`,
)
export class MaterialPrice {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'material_prices_pkey' })
  id: number;

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

  /** Kept beside `suppliers.name` so that v2 readers keep working. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  supplier: string | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Supplier)
  supplierId: number | null;

  /** NULL only on a v1 row that priced nothing. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  unit: PriceUnit | null;

  /** When the supplier quoted this price (not when it was loaded). */
  @Column({ type: 'date', nullable: true })
  priceDate: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  source: string | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;
}
