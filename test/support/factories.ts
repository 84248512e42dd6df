import { descriptionKey } from '../../src/material-prices/price-mappings';
import { supplierKey } from '../../src/material-prices/supplier-name';
import type { TestDatabase } from './test-database';

/**
 * Rows written straight into a migrated database, for what a test needs present without going through the API
 * (a state made by hand, by an older version, or in numbers). Those a test refers to later return their ids.
 */

/** Shop accounts: `count` of them numbered from `id` (else the next ids), emails shop<id>@example.com unless given. */
export async function insertUsers(
  db: TestDatabase,
  { id, count = 1, email }: { id?: number; count?: number; email?: string } = {},
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (id, email, password_hash)
     SELECT id, coalesce($2::text, 'shop' || id || '@example.com'), 'not a hash'
       FROM (SELECT coalesce($1::int + n - 1, nextval(pg_get_serial_sequence('users', 'id'))::int) AS id FROM generate_series(1, $3::int) n) ids
     RETURNING id`,
    [id ?? null, email ?? null, count],
  );
  return rows.map((row) => row.id);
}

/** Refresh families (logins) of a user, live for 30 days, or revoked now; `id` only when one is made. */
export async function insertRefreshFamilies(
  db: TestDatabase,
  userId: number,
  { id, count = 1, revoked = false }: { id?: string; count?: number; revoked?: boolean } = {},
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_families (id, user_id, expires_at, revoked_at)
     SELECT coalesce($1::uuid, gen_random_uuid()), $2, now() + interval '30 days', CASE WHEN $4 THEN now() END
       FROM generate_series(1, $3::int)`,
    [id ?? null, userId, count, revoked],
  );
}

/** A refresh token of a family, live for 30 days. */
export async function insertRefreshToken(db: TestDatabase, userId: number, familyId: string): Promise<void> {
  await db.query(
    `INSERT INTO auth_tokens (user_id, token_hash, token_type, family_id, expires_at) VALUES ($1, 'a hash', 'refresh', $2, now() + interval '30 days')`,
    [userId, familyId],
  );
}

/** A current price per foot of a shop (or the baseline), with its supplier record. */
export async function insertPrice(
  db: TestDatabase,
  {
    shopId = null,
    materialType,
    supplier,
    pricePerFoot,
  }: { shopId?: number | null; materialType: string; supplier: string; pricePerFoot: number },
): Promise<void> {
  await db.query(
    `WITH s AS (INSERT INTO suppliers (shop_id, name, name_key) VALUES ($1, $2, $3) RETURNING id)
     INSERT INTO material_prices (shop_id, material_type, supplier, supplier_id, unit, price_per_foot) SELECT $1, $4, $2, id, 'foot', $5 FROM s`,
    [shopId, supplier, supplierKey(supplier), materialType, pricePerFoot],
  );
}

/** An owner's mapping that ignores a description, of a shop (or the baseline). */
export async function insertIgnoreMapping(db: TestDatabase, matchText: string, shopId: number | null = null): Promise<void> {
  await db.query(`INSERT INTO price_mappings (shop_id, kind, match_text, match_key) VALUES ($1, 'ignore', $2, $3)`, [
    shopId,
    matchText,
    descriptionKey(matchText),
  ]);
}

/** A quote as v1 wrote it: a number of v1's form and no owner. */
export async function insertLegacyQuote(db: TestDatabase, quoteNumber: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(`INSERT INTO quotes (quote_number, job_type) VALUES ($1, 'custom') RETURNING id`, [
    quoteNumber,
  ]);
  return row.id;
}
