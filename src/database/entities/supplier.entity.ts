import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { User } from './user.entity';

/** `name_key` ignores case, spacing and punctuation: "OSORIO" and " osorio. " are one supplier. */
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
