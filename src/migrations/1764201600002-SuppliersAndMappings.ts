import { MigrationInterface, QueryRunner } from 'typeorm';

/** A frozen copy, held equal to the live supplierKey by test/supplier-name.unit.spec.ts. */
export function supplierKeyAtMigration(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const RANK_CURRENT = `coalesce(price_date, '-infinity'::date) DESC, coalesce(price_per_foot, price_per_lb, price_per_sqft) DESC NULLS LAST, id`;
const OBSERVATION_COLUMNS = 'shop_id, material_type, supplier_id, price_date, price_per_foot, price_per_lb, price_per_sqft';

/** Two current rows that now name the same supplier keep the one the price rules choose; the other goes to history. */
export class SuppliersAndMappings1764201600002 implements MigrationInterface {
  name = 'SuppliersAndMappings1764201600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "suppliers" ("id" SERIAL NOT NULL, "shop_id" integer, "name" character varying(128) NOT NULL, "name_key" character varying(128) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b70ac51766a9e3144f778cfe81e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_suppliers_scope_name_key" ON "suppliers" ("shop_id", "name_key") NULLS NOT DISTINCT`);
    await queryRunner.query(
      `CREATE TABLE "price_mappings" ("id" SERIAL NOT NULL, "shop_id" integer, "kind" character varying(16) NOT NULL, "match_text" character varying(512) NOT NULL, "match_key" character varying(512) NOT NULL, "target" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_price_mappings_target" CHECK (("kind" = 'ignore') = ("target" IS NULL)), CONSTRAINT "CHK_price_mappings_kind" CHECK ("kind" IN ('supplier', 'material', 'ignore')), CONSTRAINT "PK_632b34b822677ca12b84432bc13" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_price_mappings_entry" ON "price_mappings" ("shop_id", "kind", "match_key") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`ALTER TABLE "material_prices" ADD "supplier_id" integer`);
    await queryRunner.query(`ALTER TABLE "material_prices" ADD "unit" character varying(8)`);
    await queryRunner.query(`ALTER TABLE "material_price_history" ADD "supplier_id" integer`);
    await queryRunner.query(`ALTER TABLE "material_price_history" ADD "raw_description" text`);

    // Both unique indexes name the supplier by its text; they come back on supplier_id once the rows are moved.
    await queryRunner.query(`DROP INDEX "UQ_material_prices_current"`);
    await queryRunner.query(`DROP INDEX "UQ_material_price_history_observation"`);
    await createSuppliersOfExistingRows(queryRunner);
    await splitUnits(queryRunner);

    await queryRunner.query(`DELETE FROM material_price_history WHERE id IN (
      SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY ${OBSERVATION_COLUMNS} ORDER BY id) AS copy FROM material_price_history) observations
       WHERE copy > 1)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_price_history_observation" ON "material_price_history" (${quoted(OBSERVATION_COLUMNS)}) NULLS NOT DISTINCT`,
    );

    await queryRunner.query(`CREATE TEMPORARY TABLE superseded_current_prices AS
      SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY shop_id, material_type, supplier_id, unit ORDER BY ${RANK_CURRENT}) AS rank FROM material_prices) ranked
       WHERE rank > 1`);
    await queryRunner.query(`INSERT INTO material_price_history (${OBSERVATION_COLUMNS}, supplier, source, notes)
      SELECT ${OBSERVATION_COLUMNS}, supplier, source, notes FROM material_prices WHERE id IN (SELECT id FROM superseded_current_prices)
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`DELETE FROM material_prices WHERE id IN (SELECT id FROM superseded_current_prices)`);
    await queryRunner.query(`DROP TABLE superseded_current_prices`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_prices_current" ON "material_prices" ("shop_id", "material_type", "supplier_id", "unit") NULLS NOT DISTINCT`,
    );

    await queryRunner.query(`ALTER TABLE "material_prices" ADD CONSTRAINT "CHK_material_prices_unit" CHECK (num_nonnulls("price_per_foot", "price_per_lb", "price_per_sqft") = CASE WHEN "unit" IS NULL THEN 0 ELSE 1 END
   AND ("unit" IS NULL OR ("unit" = 'foot' AND "price_per_foot" IS NOT NULL) OR ("unit" = 'lb' AND "price_per_lb" IS NOT NULL) OR ("unit" = 'sqft' AND "price_per_sqft" IS NOT NULL)))`);
    await queryRunner.query(`CREATE INDEX "IDX_material_prices_supplier_id" ON "material_prices" ("supplier_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_material_price_history_supplier_id" ON "material_price_history" ("supplier_id")`);
    await queryRunner.query(
      `ALTER TABLE "suppliers" ADD CONSTRAINT "FK_cc042da525db36aff83517bc3fb" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "material_prices" ADD CONSTRAINT "FK_6b9684ab69285351848084e91d6" FOREIGN KEY ("supplier_id") REFERENCES "suppliers"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "material_price_history" ADD CONSTRAINT "FK_a968dc1f591174a862e947a099a" FOREIGN KEY ("supplier_id") REFERENCES "suppliers"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "price_mappings" ADD CONSTRAINT "FK_eef08f8310532e013b4cf8ef279" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  /**
   * DECISION: reverting keeps every price, merging split rows back into one; it refuses while mappings exist or one
   * supplier name has current prices of different dates in different units (v2 holds one date per material).
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    const [{ count: mappings }] = await queryRunner.query(`SELECT count(*)::int AS count FROM price_mappings`);
    if (mappings > 0)
      throw new Error(`Cannot revert the suppliers migration: ${mappings} owner mappings exist. Export and remove them first.`);
    const unmergeable: { material_type: string }[] = await queryRunner.query(
      `SELECT material_type FROM material_prices GROUP BY shop_id, material_type, supplier
        HAVING count(unit) > count(DISTINCT unit) OR count(DISTINCT (price_date, source, notes, updated_at)::text) > 1`,
    );
    if (unmergeable.length > 0) {
      throw new Error(
        `Cannot revert the suppliers migration: prices of ${[...new Set(unmergeable.map((row) => row.material_type))].join(', ')} differ by unit in date or source. Move or remove them first.`,
      );
    }

    await queryRunner.query(`ALTER TABLE "price_mappings" DROP CONSTRAINT "FK_eef08f8310532e013b4cf8ef279"`);
    await queryRunner.query(`ALTER TABLE "material_price_history" DROP CONSTRAINT "FK_a968dc1f591174a862e947a099a"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP CONSTRAINT "FK_6b9684ab69285351848084e91d6"`);
    await queryRunner.query(`ALTER TABLE "suppliers" DROP CONSTRAINT "FK_cc042da525db36aff83517bc3fb"`);
    await queryRunner.query(`DROP INDEX "IDX_material_price_history_supplier_id"`);
    await queryRunner.query(`DROP INDEX "IDX_material_prices_supplier_id"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP CONSTRAINT "CHK_material_prices_unit"`);

    await queryRunner.query(`UPDATE material_prices p SET price_per_foot = merged.foot, price_per_lb = merged.lb, price_per_sqft = merged.sqft
      FROM (SELECT min(id) AS id, max(price_per_foot) AS foot, max(price_per_lb) AS lb, max(price_per_sqft) AS sqft
              FROM material_prices GROUP BY shop_id, material_type, supplier HAVING count(*) > 1) merged
     WHERE p.id = merged.id`);
    await queryRunner.query(`DELETE FROM material_prices p WHERE EXISTS (SELECT 1 FROM material_prices q
      WHERE q.id < p.id AND q.shop_id IS NOT DISTINCT FROM p.shop_id AND q.material_type = p.material_type AND q.supplier IS NOT DISTINCT FROM p.supplier)`);
    await queryRunner.query(`DROP INDEX "UQ_material_prices_current"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_prices_current" ON "material_prices" ("shop_id", "material_type", "supplier") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`DROP INDEX "UQ_material_price_history_observation"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_price_history_observation" ON "material_price_history" ("shop_id", "material_type", "supplier", "price_date", "price_per_foot", "price_per_lb", "price_per_sqft") NULLS NOT DISTINCT`,
    );

    await queryRunner.query(`ALTER TABLE "material_price_history" DROP COLUMN "raw_description"`);
    await queryRunner.query(`ALTER TABLE "material_price_history" DROP COLUMN "supplier_id"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "unit"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "supplier_id"`);
    await queryRunner.query(`DROP TABLE "price_mappings"`);
    await queryRunner.query(`DROP TABLE "suppliers"`);
  }
}

/** Of several spellings of one supplier, the one most rows use is its display name. */
async function createSuppliersOfExistingRows(queryRunner: QueryRunner): Promise<void> {
  const spellings: { shop_id: number | null; supplier: string; rows: number }[] = await queryRunner.query(
    `SELECT shop_id, supplier, count(*)::int AS rows FROM (
       SELECT shop_id, supplier FROM material_prices UNION ALL SELECT shop_id, supplier FROM material_price_history) named
      WHERE supplier IS NOT NULL GROUP BY shop_id, supplier ORDER BY shop_id, supplier`,
  );
  const suppliers = new Map<string, { shop_id: number | null; name_key: string; name: string; rows: number }>();
  for (const spelling of spellings) {
    const nameKey = supplierKeyAtMigration(spelling.supplier);
    const identity = JSON.stringify([spelling.shop_id, nameKey]);
    const known = suppliers.get(identity);
    if (!known || spelling.rows > known.rows)
      suppliers.set(identity, { shop_id: spelling.shop_id, name_key: nameKey, name: spelling.supplier, rows: spelling.rows });
  }
  if (suppliers.size === 0) return;
  await queryRunner.query(
    `INSERT INTO suppliers (shop_id, name, name_key) SELECT s.shop_id, s.name, s.name_key FROM jsonb_to_recordset($1::jsonb) AS s(shop_id integer, name varchar, name_key varchar)`,
    [JSON.stringify([...suppliers.values()])],
  );
  const spellingKeys = JSON.stringify(
    spellings.map((spelling) => ({
      shop_id: spelling.shop_id,
      supplier: spelling.supplier,
      name_key: supplierKeyAtMigration(spelling.supplier),
    })),
  );
  for (const table of ['material_prices', 'material_price_history']) {
    await queryRunner.query(
      `UPDATE ${table} t SET supplier_id = s.id, supplier = s.name
         FROM jsonb_to_recordset($1::jsonb) AS spelling(shop_id integer, supplier varchar, name_key varchar)
         JOIN suppliers s ON s.shop_id IS NOT DISTINCT FROM spelling.shop_id AND s.name_key = spelling.name_key
        WHERE t.shop_id IS NOT DISTINCT FROM spelling.shop_id AND t.supplier = spelling.supplier`,
      [spellingKeys],
    );
  }
}

/** Foot, then lb, then sqft keeps the row's id. */
async function splitUnits(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`UPDATE material_prices SET unit = CASE WHEN price_per_foot IS NOT NULL THEN 'foot'
    WHEN price_per_lb IS NOT NULL THEN 'lb' WHEN price_per_sqft IS NOT NULL THEN 'sqft' END`);
  const copy = (unit: string, column: string, afterUnits: string) =>
    queryRunner.query(`INSERT INTO material_prices (material_type, ${column}, updated_at, notes, supplier, price_date, source, shop_id, supplier_id, unit)
      SELECT material_type, ${column}, updated_at, notes, supplier, price_date, source, shop_id, supplier_id, '${unit}'
        FROM material_prices WHERE unit IN (${afterUnits}) AND ${column} IS NOT NULL ORDER BY id`);
  await copy('lb', 'price_per_lb', `'foot'`);
  await copy('sqft', 'price_per_sqft', `'foot', 'lb'`);
  await queryRunner.query(`UPDATE material_prices SET price_per_lb = NULL, price_per_sqft = NULL WHERE unit = 'foot'`);
  await queryRunner.query(`UPDATE material_prices SET price_per_sqft = NULL WHERE unit = 'lb'`);
}

function quoted(columns: string): string {
  return columns
    .split(', ')
    .map((column) => `"${column}"`)
    .join(', ');
}
