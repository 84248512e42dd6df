import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { decimalTransformer } from './decimal.transformer';

@Entity('hardware_items')
export class HardwareItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** An open list, so plain text. */
  @Column({ type: 'varchar', length: 64 })
  category: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  mcmasterPart: string | null;

  @Column({ type: 'numeric', precision: 10, scale: 2, nullable: true, transformer: decimalTransformer })
  mcmasterPrice: number | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  mcmasterUrl: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  alt1Supplier: string | null;

  @Column({ type: 'numeric', precision: 10, scale: 2, nullable: true, transformer: decimalTransformer })
  alt1Price: number | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  alt1Url: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  alt2Supplier: string | null;

  @Column({ type: 'numeric', precision: 10, scale: 2, nullable: true, transformer: decimalTransformer })
  alt2Price: number | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  alt2Url: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUpdated: Date | null;
}
