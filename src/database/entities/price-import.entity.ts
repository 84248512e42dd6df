import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { User } from './user.entity';

export const IMPORT_FILE_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ImportFileFormat = (typeof IMPORT_FILE_FORMATS)[number];

/**
 * One price import of a shop through the API (a preview too): its counts as columns, so a shop's imports can be
 * listed and compared without reading reports, and the whole report the owner was answered with.
 */
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

  /** Records read from every file. */
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

  /** The report as the import answered it (the seeder's `--report` shape). */
  @Column({ type: 'jsonb' })
  report: Record<string, unknown>;
}

/** One uploaded file of an import, as it was received. */
@Entity('price_import_files')
@Index('UQ_price_import_files_import_id_position', ['importId', 'position'], { unique: true })
@Check('CHK_price_import_files_format', `"format" IN (${IMPORT_FILE_FORMATS.map((format) => `'${format}'`).join(', ')})`)
export class PriceImportFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => PriceImport, { onDelete: 'CASCADE' })
  importId: number;

  /** The file's place in the upload, from 1. */
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
