import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { Supplier } from './supplier.entity';
import { User } from './user.entity';

/** The units a price is stated in; they are never converted into each other (that needs a weight table). */
export const PRICE_UNITS = ['foot', 'lb', 'sqft'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** The price column of each unit. */
const PRICE_COLUMN_OF_UNIT = { foot: 'price_per_foot', lb: 'price_per_lb', sqft: 'price_per_sqft' } as const;

/**
 * The current price of one material from one supplier in one unit, in one scope: a shop's own (shop_id) or the
 * shared baseline (shop_id NULL). A row holds the price of its `unit` only; a v1 row that priced several units
 * became one row per unit. v1 rows keep their values; their enum names became lower-case keys.
 */
@Entity('material_prices')
@Index('ix_material_prices_id', ['id'])
@Index('IDX_material_prices_supplier_id', ['supplierId'])
// One current row per (scope, material_type, supplier, unit), NULL scope and NULL supplier included. The index is
// UNIQUE NULLS NOT DISTINCT, which TypeORM cannot describe, so the migration owns it.
@Index('UQ_material_prices_current', { synchronize: false })
@Check(
  'CHK_material_prices_unit',
  `num_nonnulls("price_per_foot", "price_per_lb", "price_per_sqft") = CASE WHEN "unit" IS NULL THEN 0 ELSE 1 END
   AND ("unit" IS NULL OR ${PRICE_UNITS.map((unit) => `("unit" = '${unit}' AND "${PRICE_COLUMN_OF_UNIT[unit]}" IS NOT NULL)`).join(' OR ')})`,
)
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

  /** The supplier's display name, as `suppliers.name` (kept here so that v2 readers keep working). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  supplier: string | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => Supplier)
  supplierId: number | null;

  /** The unit of this row's one price; NULL only on a v1 row that priced nothing. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  unit: PriceUnit | null;

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
