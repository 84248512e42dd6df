import { Injectable } from '@nestjs/common';

import { storableJson } from '../common/json-values';
import type { Page } from '../common/page.query';
import type { ImportFileFormat } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import type { LoadReportResponse } from '../price-loads/load-report.response';

export interface ImportFileRow {
  name: string;
  format: ImportFileFormat;
  bytes: number;
  sha256: string;
  records: number;
}

export interface ImportCounts {
  records: number;
  prices_loaded: number;
  prices_already_current: number;
  new_observations: number;
  actuals_loaded: number;
  rejected: number;
  ignored: number;
  warnings: number;
}

export interface ImportRow {
  id: number;
  created_at: Date;
  dry_run: boolean;
  files: ImportFileRow[];
  counts: ImportCounts;
}

const COUNT_COLUMNS = [
  'records',
  'prices_loaded',
  'prices_already_current',
  'new_observations',
  'actuals_loaded',
  'rejected',
  'ignored',
  'warnings',
] as const;

const IMPORT_COLUMNS = `i.id, i.created_at, i.dry_run,
  jsonb_build_object(${COUNT_COLUMNS.map((column) => `'${column}', i.${column}`).join(', ')}) AS counts,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('name', f.name, 'format', f.format, 'bytes', f.bytes, 'sha256', f.sha256, 'records', f.records) ORDER BY f.position)
              FROM price_import_files f WHERE f.import_id = i.id), '[]'::jsonb) AS files`;

@Injectable()
export class PriceImportsRepository {
  async insert(
    sql: SqlClient,
    shopId: number,
    dryRun: boolean,
    counts: ImportCounts,
    files: readonly ImportFileRow[],
    report: object,
  ): Promise<{ id: number; created_at: Date }> {
    const [created]: { id: number; created_at: Date }[] = await sql.query(
      `INSERT INTO price_imports (shop_id, dry_run, ${COUNT_COLUMNS.join(', ')}, report)
       VALUES ($1, $2, ${COUNT_COLUMNS.map((_, index) => `$${index + 3}`).join(', ')}, $${COUNT_COLUMNS.length + 3}::jsonb)
       RETURNING id, created_at`,
      // A reject quotes what the file said, which may hold a NUL that a jsonb value cannot.
      [shopId, dryRun, ...COUNT_COLUMNS.map((column) => counts[column]), JSON.stringify(storableJson(report))],
    );
    await sql.query(
      `INSERT INTO price_import_files (import_id, position, name, format, bytes, sha256, records)
       SELECT $1::integer, f.position, f.name, f.format, f.bytes, f.sha256, f.records
         FROM jsonb_to_recordset($2::jsonb) AS f(position smallint, name varchar, format varchar, bytes integer, sha256 char(64), records integer)`,
      [created.id, JSON.stringify(files.map((file, index) => ({ ...file, position: index + 1 })))],
    );
    return created;
  }

  async page(sql: SqlClient, shopId: number, limit: number, offset: number): Promise<Page<ImportRow>> {
    const [items, [{ total }]] = await Promise.all([
      sql.query<ImportRow[]>(
        `SELECT ${IMPORT_COLUMNS} FROM price_imports i WHERE i.shop_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT $2 OFFSET $3`,
        [shopId, limit, offset],
      ),
      sql.query<{ total: number }[]>('SELECT count(*)::integer AS total FROM price_imports WHERE shop_id = $1', [shopId]),
    ]);
    return { items, total, limit, offset };
  }

  async findOne(sql: SqlClient, shopId: number, id: number): Promise<(ImportRow & { report: LoadReportResponse }) | undefined> {
    const [row] = await sql.query<(ImportRow & { report: LoadReportResponse })[]>(
      `SELECT ${IMPORT_COLUMNS}, i.report FROM price_imports i WHERE i.id = $1 AND i.shop_id = $2`,
      [id, shopId],
    );
    return row;
  }
}
