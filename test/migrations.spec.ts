import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { V1_TABLES } from '../src/migrations/1764201600000-V1Baseline';
import { schemaSnapshot, v1Rows } from './support/schema-snapshot';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const V1_SQL = readFileSync('test/fixtures/v1-database.sql', 'utf8');
const V2_TABLES = ['users', 'auth_tokens', 'quote_sessions', 'hardware_items', 'historical_actuals', 'material_price_history'];

async function openMigrator(db: TestDatabase): Promise<DataSource> {
  const dataSource = new DataSource({ ...dataSourceOptions(db.config()), logging: false });
  return dataSource.initialize();
}

async function tableNames(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

describe('migrations on a fresh empty database', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openMigrator(db);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('migrates to v2 with every table of the schema', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(['V1Baseline1764201600000', 'V2Foundation1764201600001']);
    expect(await tableNames(db)).toEqual(expect.arrayContaining([...V1_TABLES, ...V2_TABLES, 'migrations']));
  });

  it('agrees with the entities (what migration:check verifies)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('does nothing when run a second time', async () => {
    const before = await schemaSnapshot(db, [...V1_TABLES, ...V2_TABLES]);
    expect(await dataSource.runMigrations()).toEqual([]);
    expect(await schemaSnapshot(db, [...V1_TABLES, ...V2_TABLES])).toEqual(before);
  });

  it('reverts every migration back to an empty database', async () => {
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    expect(await tableNames(db)).toEqual(['migrations']);
  });
});

describe('migrations on an existing v1 database', () => {
  let db: TestDatabase;
  let pristine: TestDatabase;
  let dataSource: DataSource;
  let originalRows: Record<string, unknown[]>;
  let originalSchema: unknown;

  beforeAll(async () => {
    db = await createTestDatabase();
    pristine = await createTestDatabase();
    await db.query(V1_SQL);
    await pristine.query(V1_SQL);
    originalRows = await v1Rows(db);
    originalSchema = await schemaSnapshot(pristine, V1_TABLES);
    dataSource = await openMigrator(db);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    await pristine?.drop();
  });

  it('adopts the v1 schema and upgrades it in place', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(2);
    expect(await tableNames(db)).toEqual(expect.arrayContaining([...V1_TABLES, ...V2_TABLES]));
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('keeps every v1 row and value, with legacy enum names lower-cased', async () => {
    const upgraded = await v1Rows(db);
    for (const table of V1_TABLES) {
      const expected = originalRows[table].map((row) => lowerCaseLegacyNames(table, JSON.parse((row as { row: string }).row)));
      const actual = upgraded[table].map((row) => pick(JSON.parse((row as { row: string }).row), Object.keys(expected[0])));
      expect(actual).toEqual(expected);
    }
  });

  it('turns job_type and material_type into VARCHAR', async () => {
    const columns = await db.query(
      `SELECT table_name, data_type FROM information_schema.columns
        WHERE (table_name, column_name) IN (('quotes', 'job_type'), ('material_prices', 'material_type')) ORDER BY table_name`,
    );
    expect(columns).toEqual([
      { table_name: 'material_prices', data_type: 'character varying' },
      { table_name: 'quotes', data_type: 'character varying' },
    ]);
  });

  it('gives the legacy rows the defaults of the new columns', async () => {
    const quotes = await db.query(
      `SELECT user_id, session_id, inputs_json, outputs_json, selected_markup_pct, pdf_url FROM quotes ORDER BY id`,
    );
    expect(quotes).toHaveLength(4);
    for (const quote of quotes) {
      expect(quote).toEqual({ user_id: null, session_id: null, inputs_json: {}, outputs_json: {}, selected_markup_pct: 15, pdf_url: null });
    }
    const prices = await db.query(`SELECT supplier, price_date, source, shop_id FROM material_prices`);
    expect(prices).toHaveLength(5);
    for (const price of prices) expect(price).toEqual({ supplier: null, price_date: null, source: null, shop_id: null });
  });

  it('reverts to the v1 schema with the v1 rows intact', async () => {
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    expect(await schemaSnapshot(db, V1_TABLES)).toEqual(originalSchema);
    expect(await v1Rows(db)).toEqual(originalRows);
    expect((await tableNames(db)).filter((name) => V2_TABLES.includes(name))).toEqual([]);
  });

  it('upgrades again after the revert', async () => {
    expect(await dataSource.runMigrations()).toHaveLength(2);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('refuses to revert when v2 rows cannot be held by v1, and changes nothing', async () => {
    await db.query(`INSERT INTO material_prices (material_type, price_per_foot, supplier) VALUES ('sq_tube_2x11ga', 3.45, 'a supplier')`);
    await expect(dataSource.undoLastMigration()).rejects.toThrow(/Cannot revert to v1/);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    const [{ count }] = await db.query<{ count: string }>(`SELECT count(*) FROM migrations`);
    expect(Number(count)).toBe(2);
  });
});

const LOWER_CASED_COLUMNS: Record<string, string> = { quotes: 'job_type', material_prices: 'material_type' };

function lowerCaseLegacyNames(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const column = LOWER_CASED_COLUMNS[table];
  if (!column || typeof row[column] !== 'string') return row;
  return { ...row, [column]: (row[column] as string).toLowerCase() };
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, row[key]]));
}
