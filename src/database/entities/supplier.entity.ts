import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { User } from './user.entity';

/**
 * A supplier of one scope (a shop's own, or the shared baseline when shop_id is NULL). `name_key` ignores case,
 * spacing and punctuation, so "OSORIO", " osorio " and "Osorio." are one supplier; `name` is how it is shown.
 */
@Entity('suppliers')
// UNIQUE NULLS NOT DISTINCT (the baseline scope is NULL), which TypeORM cannot describe, so the migration owns it.
@Index('UQ_suppliers_scope_name_key', { synchronize: false })
export class Supplier {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number | null;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  nameKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
