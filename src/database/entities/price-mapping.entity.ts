import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { User } from './user.entity';

export const PRICE_MAPPING_KINDS = ['supplier', 'material', 'ignore'] as const;
export type PriceMappingKind = (typeof PRICE_MAPPING_KINDS)[number];

/** `match_text` is the entry as the owner wrote it; `match_key` is what incoming text is compared with. */
@Entity('price_mappings')
// UNIQUE NULLS NOT DISTINCT over (shop_id, kind, match_key), which TypeORM cannot describe: the migration owns it.
@Index('UQ_price_mappings_entry', { synchronize: false })
@Check('CHK_price_mappings_kind', `"kind" IN (${PRICE_MAPPING_KINDS.map((kind) => `'${kind}'`).join(', ')})`)
@Check('CHK_price_mappings_target', `("kind" = 'ignore') = ("target" IS NULL)`)
export class PriceMapping {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;

  @Column({ type: 'varchar', length: 16 })
  kind: PriceMappingKind;

  @Column({ type: 'varchar', length: 512 })
  matchText: string;

  @Column({ type: 'varchar', length: 512 })
  matchKey: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  target: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
