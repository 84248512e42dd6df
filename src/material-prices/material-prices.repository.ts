import { setTimeout as sleep } from 'node:timers/promises';

import { ConflictException, Injectable } from '@nestjs/common';

import type { Page } from '../common/page.query';
import type { MaterialPrice, MaterialPriceHistory, PriceUnit } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import { CURRENT_PRICE_RANK } from './price-rules';
import type { SupplierRecord } from './suppliers.repository';

export interface CurrentPrice {
  materialType: string;
  supplierId: number | null;
  supplier: string | null;
  unit: PriceUnit;
  price: number;
  priceDate: string | null;
  shopId: number | null;
}

/** A current price as a load decides against it. */
export type StoredPrice = Omit<CurrentPrice, 'shopId'>;

export interface CurrentPriceRow {
  material_type: string;
  supplier_id: number | null;
  supplier: string | null;
  unit: PriceUnit;
  price: number;
  price_date: string | null;
  source: string;
  notes: string | null;
}

/** The first key of the advisory locks that keep two loads of one scope apart (the second key is the shop id). */
const PRICE_LOAD_LOCK = 7301;
/** How often a load waiting for another load of its scope asks for the lock again. */
const LOCK_POLL_MS = 50;

// The columns a current price and an observation share, named as their entities name them.
const PRICE_FIELDS = `id, material_type AS "materialType", supplier, supplier_id AS "supplierId", price_date::text AS "priceDate",
  price_per_foot AS "pricePerFoot", price_per_lb AS "pricePerLb", price_per_sqft AS "pricePerSqft", source, notes, shop_id AS "shopId"`;

export class ScopeBusyError extends ConflictException {
  constructor(shopId: number | null, waitMs: number) {
    super(
      `Another load of ${shopId === null ? 'the shared baseline' : "this shop's prices"} is still running after ${waitMs / 1000} s; try again once it has finished`,
    );
  }
}

@Injectable()
export class MaterialPricesRepository {
  /**
   * DECISION: a load waiting for the scope's lock asks again every LOCK_POLL_MS rather than blocking in
   * pg_advisory_xact_lock, whose wait would count against the statement timeout that keeps every other query short.
   */
  async lockScopeForLoad(sql: SqlClient, shopId: number | null, waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (true) {
      const [{ locked }]: { locked: boolean }[] = await sql.query(`SELECT pg_try_advisory_xact_lock($1::integer, $2::integer) AS locked`, [
        PRICE_LOAD_LOCK,
        shopId ?? 0,
      ]);
      if (locked) return;
      if (Date.now() >= deadline) throw new ScopeBusyError(shopId, waitMs);
      await sleep(LOCK_POLL_MS);
    }
  }

  async knownKeys(sql: SqlClient, shopId: number | null): Promise<string[]> {
    const rows = await sql.query<{ material_type: string }[]>(
      'SELECT DISTINCT material_type FROM material_prices WHERE shop_id IS NULL OR shop_id = $1',
      [shopId],
    );
    return rows.map((row) => row.material_type);
  }

  /**
   * `rows`: UTF-8 JSON, an array of { m: material type, k: supplier key, d: price date, f, l, q: price per foot, lb, sqft, s: source,
   * n: notes, r: raw description, c: currency }, a member left out where it is null; each supplier key one of `suppliers`.
   */
  async insertHistory(sql: SqlClient, shopId: number | null, rows: Uint8Array, suppliers: readonly SupplierRecord[]): Promise<number> {
    const [{ inserted }] = await sql.query<{ inserted: number }[]>(
      `WITH inserted AS (INSERT INTO material_price_history (shop_id, material_type, supplier_id, supplier, price_date, price_per_foot, price_per_lb, price_per_sqft, source, notes, raw_description, currency)
       SELECT $1::integer, o.m, s.id, s.name, o.d, o.f, o.l, o.q, o.s, o.n, o.r, o.c
         FROM json_to_recordset($2::json) AS o(m varchar, k varchar, d date, f float8, l float8, q float8, s varchar, n text, r text, c char(3))
         LEFT JOIN jsonb_to_recordset($3::jsonb) AS s(id integer, name varchar, "nameKey" varchar) ON s."nameKey" = o.k
       ON CONFLICT (shop_id, material_type, supplier_id, price_date, price_per_foot, price_per_lb, price_per_sqft) DO NOTHING
       RETURNING 1)
       SELECT count(*)::integer AS inserted FROM inserted`,
      // DECISION: the rows go as bytes, a binary parameter (json's binary form is its text), so the main thread never holds them as a
      // string: a megabyte string per batch filled the old generation and its collections paused every request.
      [shopId, rows, JSON.stringify(suppliers)],
    );
    return inserted;
  }

  async pageVisibleTo(
    sql: SqlClient,
    shopId: number,
    materialType: string | undefined,
    limit: number,
    offset: number,
  ): Promise<Page<MaterialPrice>> {
    const visible = `(shop_id IS NULL OR shop_id = $1) AND ($2::varchar IS NULL OR material_type = $2)`;
    const [items, [{ total }]] = await Promise.all([
      sql.query<MaterialPrice[]>(
        `SELECT ${PRICE_FIELDS}, unit, updated_at AS "updatedAt" FROM material_prices WHERE ${visible}
          ORDER BY material_type, supplier NULLS FIRST, shop_id NULLS LAST, unit, id LIMIT $3 OFFSET $4`,
        [shopId, materialType ?? null, limit, offset],
      ),
      sql.query<{ total: number }[]>(`SELECT count(*)::integer AS total FROM material_prices WHERE ${visible}`, [
        shopId,
        materialType ?? null,
      ]),
    ]);
    return { items, total, limit, offset };
  }

  async historyPageVisibleTo(
    sql: SqlClient,
    shopId: number,
    materialType: string,
    limit: number,
    offset: number,
  ): Promise<Page<MaterialPriceHistory>> {
    const visible = `(shop_id IS NULL OR shop_id = $1) AND material_type = $2`;
    const [items, [{ total }]] = await Promise.all([
      sql.query<MaterialPriceHistory[]>(
        `SELECT ${PRICE_FIELDS}, raw_description AS "rawDescription", recorded_at AS "recordedAt" FROM material_price_history
          WHERE ${visible} ORDER BY price_date DESC NULLS LAST, id DESC LIMIT $3 OFFSET $4`,
        [shopId, materialType, limit, offset],
      ),
      sql.query<{ total: number }[]>(`SELECT count(*)::integer AS total FROM material_price_history WHERE ${visible}`, [
        shopId,
        materialType,
      ]),
    ]);
    return { items, total, limit, offset };
  }

  async currentPricesOf(
    sql: SqlClient,
    shopIds: readonly (number | null)[],
    materialTypes: readonly string[],
    unit?: PriceUnit,
  ): Promise<CurrentPrice[]> {
    const shops = shopIds.filter((id) => id !== null);
    return sql.query(
      `SELECT material_type AS "materialType", supplier_id AS "supplierId", supplier, unit, shop_id AS "shopId",
              coalesce(price_per_foot, price_per_lb, price_per_sqft) AS price, price_date::text AS "priceDate"
         FROM material_prices
        WHERE (shop_id = ANY($1::integer[]) OR ($2 AND shop_id IS NULL)) AND material_type = ANY($3::varchar[])
          AND unit IS NOT NULL AND ($4::varchar IS NULL OR unit = $4)`,
      [shops, shopIds.includes(null), materialTypes, unit ?? null],
    );
  }

  /** `materialTypes`: UTF-8 JSON, an array of arrays of material types. The scope's current prices of them: JSON, a StoredPrice[]. */
  async currentPricesJson(sql: SqlClient, shopId: number | null, materialTypes: Uint8Array): Promise<string> {
    const [{ prices }] = await sql.query<{ prices: string }[]>(
      `SELECT coalesce(json_agg(json_build_object('materialType', material_type, 'supplierId', supplier_id, 'supplier', supplier, 'unit', unit,
                'price', coalesce(price_per_foot, price_per_lb, price_per_sqft), 'priceDate', price_date::text)), '[]')::text AS prices
         FROM material_prices
        WHERE (shop_id = $1 OR ($1::integer IS NULL AND shop_id IS NULL)) AND unit IS NOT NULL
          AND material_type = ANY(ARRAY(SELECT DISTINCT json_array_elements_text(file) FROM json_array_elements($2::json) AS file))`,
      [shopId, materialTypes],
    );
    return prices;
  }

  /**
   * Each price only where it wins under the price rules, so two runs at once cannot put an older price back.
   * `rows`: UTF-8 JSON, a CurrentPriceRow[].
   */
  async upsertCurrent(sql: SqlClient, shopId: number | null, rows: Uint8Array, now: Date): Promise<number> {
    const [{ written }] = await sql.query<{ written: number }[]>(
      `WITH written AS (INSERT INTO material_prices AS existing (shop_id, material_type, supplier_id, supplier, unit, price_date, price_per_foot, price_per_lb, price_per_sqft, source, notes, updated_at)
       SELECT $1::integer, o.material_type, o.supplier_id, o.supplier, o.unit, o.price_date,
              CASE WHEN o.unit = 'foot' THEN o.price END, CASE WHEN o.unit = 'lb' THEN o.price END, CASE WHEN o.unit = 'sqft' THEN o.price END,
              o.source, o.notes, $3::timestamp
         FROM json_to_recordset($2::json) AS o(material_type varchar, supplier_id integer, supplier varchar, unit varchar, price_date date,
           price float8, source varchar, notes text)
       ON CONFLICT (shop_id, material_type, supplier_id, unit) DO UPDATE SET
         supplier = EXCLUDED.supplier, price_date = EXCLUDED.price_date, price_per_foot = EXCLUDED.price_per_foot, price_per_lb = EXCLUDED.price_per_lb,
         price_per_sqft = EXCLUDED.price_per_sqft, source = EXCLUDED.source, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at
         WHERE ${CURRENT_PRICE_RANK('EXCLUDED')} > ${CURRENT_PRICE_RANK('existing')}
       RETURNING 1)
       SELECT count(*)::integer AS written FROM written`,
      [shopId, rows, now],
    );
    return written;
  }
}
