import type { SqlClient } from '../database/sql-client';
import { CURRENT_PRICE_RANK } from './price-rules';

export interface SupplierRecord {
  id: number;
  name: string;
  nameKey: string;
}

/** The SQL of `suppliers`; each scope (a shop, or NULL for the shared baseline) has its own. */
export class SuppliersRepository {
  constructor(private readonly sql: SqlClient) {}

  async findAll(shopId: number | null): Promise<SupplierRecord[]> {
    return this.sql.query(`SELECT id, name, name_key AS "nameKey" FROM suppliers WHERE shop_id IS NOT DISTINCT FROM $1 ORDER BY name_key`, [
      shopId,
    ]);
  }

  async findByKeys(shopId: number | null, nameKeys: readonly string[]): Promise<SupplierRecord[]> {
    return this.sql.query(
      `SELECT id, name, name_key AS "nameKey" FROM suppliers WHERE shop_id IS NOT DISTINCT FROM $1 AND name_key = ANY($2::varchar[])`,
      [shopId, nameKeys],
    );
  }

  /** Creates the suppliers that do not exist yet (a concurrent creator wins); returns only those created here. */
  async createMissing(shopId: number | null, suppliers: readonly { name: string; nameKey: string }[]): Promise<SupplierRecord[]> {
    if (suppliers.length === 0) return [];
    return this.sql.query(
      `INSERT INTO suppliers (shop_id, name, name_key)
       SELECT $1::integer, s.name, s.name_key FROM jsonb_to_recordset($2::jsonb) AS s(name varchar, name_key varchar)
       ON CONFLICT (shop_id, name_key) DO NOTHING
       RETURNING id, name, name_key AS "nameKey"`,
      [shopId, JSON.stringify(suppliers.map((supplier) => ({ name: supplier.name, name_key: supplier.nameKey })))],
    );
  }

  /** A new display name, shown by the supplier's prices and history too (an id names one scope's supplier). */
  async rename(id: number, name: string): Promise<void> {
    await this.sql.query(`UPDATE suppliers SET name = $2 WHERE id = $1`, [id, name]);
    await this.sql.query(`UPDATE material_price_history SET supplier = $2 WHERE supplier_id = $1`, [id, name]);
    await this.sql.query(`UPDATE material_prices SET supplier = $2 WHERE supplier_id = $1`, [id, name]);
  }

  /**
   * Merges supplier `from` into `into` of the same scope (an owner's alias): its observations move over (one already there is kept
   * once), and of two current prices of one material and unit the price rules keep one; `from` is then deleted.
   */
  async merge(from: SupplierRecord, into: SupplierRecord): Promise<void> {
    await this.sql.query(
      `DELETE FROM material_price_history moved USING material_price_history kept
        WHERE moved.supplier_id = $1 AND kept.supplier_id = $2 AND kept.shop_id IS NOT DISTINCT FROM moved.shop_id
          AND (kept.material_type, kept.price_date, kept.price_per_foot, kept.price_per_lb, kept.price_per_sqft)
              IS NOT DISTINCT FROM (moved.material_type, moved.price_date, moved.price_per_foot, moved.price_per_lb, moved.price_per_sqft)`,
      [from.id, into.id],
    );
    await this.sql.query(`UPDATE material_price_history SET supplier_id = $2, supplier = $3 WHERE supplier_id = $1`, [
      from.id,
      into.id,
      into.name,
    ]);
    await this.sql.query(
      `DELETE FROM material_prices loser USING material_prices winner
        WHERE ((loser.supplier_id = $1 AND winner.supplier_id = $2) OR (loser.supplier_id = $2 AND winner.supplier_id = $1))
          AND loser.shop_id IS NOT DISTINCT FROM winner.shop_id AND loser.material_type = winner.material_type AND loser.unit = winner.unit
          AND ${CURRENT_PRICE_RANK('winner')} > ${CURRENT_PRICE_RANK('loser')}`,
      [from.id, into.id],
    );
    // Equal in date and price: the target's row stays.
    await this.sql.query(
      `DELETE FROM material_prices moved USING material_prices kept
        WHERE moved.supplier_id = $1 AND kept.supplier_id = $2 AND kept.shop_id IS NOT DISTINCT FROM moved.shop_id
          AND kept.material_type = moved.material_type AND kept.unit = moved.unit`,
      [from.id, into.id],
    );
    await this.sql.query(`UPDATE material_prices SET supplier_id = $2, supplier = $3 WHERE supplier_id = $1`, [
      from.id,
      into.id,
      into.name,
    ]);
    await this.sql.query(`DELETE FROM suppliers WHERE id = $1`, [from.id]);
  }
}
