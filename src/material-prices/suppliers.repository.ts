import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../database/sql-client';
import { CURRENT_PRICE_RANK } from './price-rules';

export interface SupplierRecord {
  id: number;
  name: string;
  nameKey: string;
}

@Injectable()
export class SuppliersRepository {
  async findAll(sql: SqlClient, shopId: number | null): Promise<SupplierRecord[]> {
    return sql.query(`SELECT id, name, name_key AS "nameKey" FROM suppliers WHERE shop_id IS NOT DISTINCT FROM $1 ORDER BY name_key`, [
      shopId,
    ]);
  }

  async findByKeys(sql: SqlClient, shopId: number | null, nameKeys: readonly string[]): Promise<SupplierRecord[]> {
    return sql.query(
      `SELECT id, name, name_key AS "nameKey" FROM suppliers WHERE shop_id IS NOT DISTINCT FROM $1 AND name_key = ANY($2::varchar[])`,
      [shopId, nameKeys],
    );
  }

  async createMissing(
    sql: SqlClient,
    shopId: number | null,
    suppliers: readonly { name: string; nameKey: string }[],
  ): Promise<SupplierRecord[]> {
    if (suppliers.length === 0) return [];
    return sql.query(
      `INSERT INTO suppliers (shop_id, name, name_key)
       SELECT $1::integer, s.name, s.name_key FROM jsonb_to_recordset($2::jsonb) AS s(name varchar, name_key varchar)
       ON CONFLICT (shop_id, name_key) DO NOTHING
       RETURNING id, name, name_key AS "nameKey"`,
      [shopId, JSON.stringify(suppliers.map((supplier) => ({ name: supplier.name, name_key: supplier.nameKey })))],
    );
  }

  async rename(sql: SqlClient, id: number, name: string): Promise<void> {
    await sql.query(`UPDATE suppliers SET name = $2 WHERE id = $1`, [id, name]);
    await sql.query(`UPDATE material_price_history SET supplier = $2 WHERE supplier_id = $1`, [id, name]);
    await sql.query(`UPDATE material_prices SET supplier = $2 WHERE supplier_id = $1`, [id, name]);
  }

  /** Observations held twice are kept once; of two current prices the rules keep one (equal: the target's). */
  async merge(sql: SqlClient, merges: readonly { from: SupplierRecord; into: SupplierRecord }[]): Promise<void> {
    if (merges.length === 0) return;
    const pairs = JSON.stringify(merges.map(({ from, into }) => ({ from_id: from.id, into_id: into.id, into_name: into.name })));
    // Every supplier of a merge (the targets too) with the target it ends up in.
    const merging = `pairs AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(from_id integer, into_id integer, into_name varchar)),
      merging AS (SELECT from_id AS supplier_id, into_id FROM pairs UNION SELECT into_id, into_id FROM pairs)`;
    await sql.query(
      `WITH ${merging},
       copies AS (
         SELECT h.id, row_number() OVER (
                  PARTITION BY m.into_id, h.shop_id, h.material_type, h.price_date, h.price_per_foot, h.price_per_lb, h.price_per_sqft
                  ORDER BY h.supplier_id = m.into_id DESC, h.id) AS copy
           FROM material_price_history h JOIN merging m ON m.supplier_id = h.supplier_id)
       DELETE FROM material_price_history h USING copies WHERE h.id = copies.id AND copies.copy > 1`,
      [pairs],
    );
    await sql.query(
      `UPDATE material_price_history h SET supplier_id = p.into_id, supplier = p.into_name
         FROM jsonb_to_recordset($1::jsonb) AS p(from_id integer, into_id integer, into_name varchar) WHERE h.supplier_id = p.from_id`,
      [pairs],
    );
    await sql.query(
      `WITH ${merging},
       ranked AS (
         SELECT c.id, row_number() OVER (
                  PARTITION BY m.into_id, c.shop_id, c.material_type, c.unit
                  ORDER BY ${CURRENT_PRICE_RANK('c')} DESC, c.supplier_id = m.into_id DESC, c.id) AS place
           FROM material_prices c JOIN merging m ON m.supplier_id = c.supplier_id)
       DELETE FROM material_prices c USING ranked WHERE c.id = ranked.id AND ranked.place > 1`,
      [pairs],
    );
    await sql.query(
      `UPDATE material_prices c SET supplier_id = p.into_id, supplier = p.into_name
         FROM jsonb_to_recordset($1::jsonb) AS p(from_id integer, into_id integer, into_name varchar) WHERE c.supplier_id = p.from_id`,
      [pairs],
    );
    await sql.query(`DELETE FROM suppliers WHERE id IN (SELECT from_id FROM jsonb_to_recordset($1::jsonb) AS p(from_id integer))`, [pairs]);
  }
}
