import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { User } from './user.entity';

export const IMPORT_FILE_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ImportFileFormat = (typeof IMPORT_FILE_FORMATS)[number];

/** An import through the API (a preview too): its counts as columns, so imports compare without reading reports. */
@Entity('price_imports')
@Index('IDX_price_imports_shop_id_created_at', ['shopId', 'createdAt', 'id'])
export class PriceImport {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'boolean' })
  dryRun: boolean;

  @Column({ type: 'integer' })
  records: number;

  @Column({ type: 'integer' })
  pricesLoaded: number;

  @Column({ type: 'integer' })
  pricesAlreadyCurrent: number;

  @Column({ type: 'integer' })
  newObservations: number;

  @Column({ type: 'integer' })
  actualsLoaded: number;

  @Column({ type: 'integer' })
  rejected: number;

  @Column({ type: 'integer' })
  ignored: number;

  @Column({ type: 'integer' })
  warnings: number;

  /** The seeder's `--report` shape. */
  @Column({ type: 'jsonb' })
  report: Record<string, unknown>;
}

@Entity('price_import_files')
@Index('UQ_price_import_files_import_id_position', ['importId', 'position'], { unique: true })
@Check('CHK_price_import_files_format', `"format" IN (${IMPORT_FILE_FORMATS.map((format) => `'${format}'`).join(', ')})`)
export class PriceImportFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => PriceImport, { onDelete: 'CASCADE' })
  importId: number;

  /** From 1. */
  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  format: ImportFileFormat;

  @Column({ type: 'integer' })
  bytes: number;

  @Column({ type: 'character', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  records: number;
}
