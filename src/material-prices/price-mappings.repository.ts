import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../database/sql-client';
import type { MappingEntry } from './price-mappings';

@Injectable()
export class PriceMappingsRepository {
  async findEntries(sql: SqlClient, shopId: number | null): Promise<MappingEntry[]> {
    return sql.query(
      `SELECT kind, match_text AS "matchText", match_key AS "matchKey", target FROM price_mappings
        WHERE shop_id IS NOT DISTINCT FROM $1 ORDER BY kind, match_key`,
      [shopId],
    );
  }

  async replaceAll(sql: SqlClient, shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    await sql.query('DELETE FROM price_mappings WHERE shop_id IS NOT DISTINCT FROM $1', [shopId]);
    await this.insert(sql, shopId, entries);
  }

  /** A stored entry matching the same text is replaced (an ignored description now mapped is only mapped). */
  async merge(sql: SqlClient, shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const supplierKeys = entries.filter((entry) => entry.kind === 'supplier').map((entry) => entry.matchKey);
    const descriptionKeys = entries.filter((entry) => entry.kind !== 'supplier').map((entry) => entry.matchKey);
    await sql.query(
      `DELETE FROM price_mappings WHERE shop_id IS NOT DISTINCT FROM $1
          AND ((kind = 'supplier' AND match_key = ANY($2::varchar[])) OR (kind <> 'supplier' AND match_key = ANY($3::varchar[])))`,
      [shopId, supplierKeys, descriptionKeys],
    );
    await this.insert(sql, shopId, entries);
  }

  private async insert(sql: SqlClient, shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await sql.query(
      `INSERT INTO price_mappings (shop_id, kind, match_text, match_key, target)
       SELECT $1::integer, e.kind, e.match_text, e.match_key, e.target
         FROM jsonb_to_recordset($2::jsonb) AS e(kind varchar, match_text varchar, match_key varchar, target varchar)`,
      [
        shopId,
        JSON.stringify(
          entries.map((entry) => ({ kind: entry.kind, match_text: entry.matchText, match_key: entry.matchKey, target: entry.target })),
        ),
      ],
    );
  }
}
