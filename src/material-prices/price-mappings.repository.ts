import type { SqlClient } from '../database/sql-client';
import type { MappingEntry } from './price-mappings';

export class PriceMappingsRepository {
  constructor(private readonly sql: SqlClient) {}

  async findEntries(shopId: number | null): Promise<MappingEntry[]> {
    return this.sql.query(
      `SELECT kind, match_text AS "matchText", match_key AS "matchKey", target FROM price_mappings
        WHERE shop_id IS NOT DISTINCT FROM $1 ORDER BY kind, match_key`,
      [shopId],
    );
  }

  async replaceAll(shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    await this.sql.query('DELETE FROM price_mappings WHERE shop_id IS NOT DISTINCT FROM $1', [shopId]);
    await this.insert(shopId, entries);
  }

  /** A stored entry matching the same text is replaced (an ignored description now mapped is only mapped). */
  async merge(shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const supplierKeys = entries.filter((entry) => entry.kind === 'supplier').map((entry) => entry.matchKey);
    const descriptionKeys = entries.filter((entry) => entry.kind !== 'supplier').map((entry) => entry.matchKey);
    await this.sql.query(
      `DELETE FROM price_mappings WHERE shop_id IS NOT DISTINCT FROM $1
          AND ((kind = 'supplier' AND match_key = ANY($2::varchar[])) OR (kind <> 'supplier' AND match_key = ANY($3::varchar[])))`,
      [shopId, supplierKeys, descriptionKeys],
    );
    await this.insert(shopId, entries);
  }

  private async insert(shopId: number | null, entries: readonly MappingEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.sql.query(
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
