import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/migrations';
import { V1_TABLES, V1Baseline1764201600000 } from '../src/migrations/1764201600000-V1Baseline';
import { V2Foundation1764201600001 } from '../src/migrations/1764201600001-V2Foundation';
import { SuppliersAndMappings1764201600002 } from '../src/migrations/1764201600002-SuppliersAndMappings';
import { RefreshFamilies1764201600006 } from '../src/migrations/1764201600006-RefreshFamilies';
import { insertIgnoreMapping } from './support/factories';
import { runNode } from './support/processes';
import { schemaSnapshot, v1Rows } from './support/schema-snapshot';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const V1_SQL = readFileSync('test/fixtures/v1-database.sql', 'utf8');
const V2_TABLES = [
  'users',
  'auth_tokens',
  'quote_sessions',
  'hardware_items',
  'historical_actuals',
  'material_price_history',
  'suppliers',
  'price_mappings',
  'known_login_ips',
  'link_tokens',
  'mail_outbox',
  'price_imports',
  'price_import_files',
  'refresh_families',
  'quote_events',
  'idempotency_keys',
];
const MIGRATION_NAMES = [
  'V1Baseline1764201600000',
  'V2Foundation1764201600001',
  'SuppliersAndMappings1764201600002',
  'KnownLoginIps1764201600003',
  'AccountLifecycle1764201600004',
  'PriceImports1764201600005',
  'RefreshFamilies1764201600006',
  'RowChangeNotifications1764201600007',
  'PriceCurrency1764201600009',
  'QuoteLifecycle1764201600024',
  'AddressSkeletonsAndMailGiveUp1764201600031',
];

async function openMigrator(db: TestDatabase, migrations: (typeof MIGRATIONS)[number][] = MIGRATIONS): Promise<DataSource> {
  const dataSource = new DataSource({ ...dataSourceOptions(db.config()), migrations, logging: false });
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
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATION_NAMES);
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

  it('is shown by the TypeORM CLI of npm run migration:*, which needs no JWT_SECRET', async () => {
    const cli = await runNode(resolve('node_modules/typeorm/cli-ts-node-commonjs.js'), ['-d', 'ormconfig.ts', 'migration:show'], {
      DATABASE_URL: db.url,
    });
    expect(cli.stderr).not.toMatch(/JWT_SECRET/);
    expect(cli.stdout).toContain(`[X] ${MIGRATION_NAMES.length} ${MIGRATION_NAMES.at(-1)}`);
    expect(cli.code).toBe(0);
  });

  it('reverts every migration back to an empty database', async () => {
    for (const _ of MIGRATION_NAMES) await dataSource.undoLastMigration();
    expect(await tableNames(db)).toEqual(['migrations']);
  });
});

describe('the address skeletons of the accounts a database already holds', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it("gives every full account its address's skeleton and leaves guests without one, in batches", async () => {
    db = await createTestDatabase();
    dataSource = await openMigrator(db, MIGRATIONS.slice(0, -1));
    await dataSource.runMigrations();
    await db.query(
      `INSERT INTO users (email, password_hash, is_provisional)
       SELECT 'shop' || n || '@example.com', 'x', false FROM generate_series(1, 1500) AS n
       UNION ALL SELECT 'mary@example.com', 'x', false UNION ALL SELECT 'guest-1@guest.invalid', '!guest', true`,
    );
    await dataSource.destroy();
    dataSource = await openMigrator(db);
    await dataSource.runMigrations();
    expect(
      await db.query(`SELECT email, email_skeleton FROM users WHERE email IN ('mary@example.com', 'guest-1@guest.invalid') ORDER BY email`),
    ).toEqual([
      { email: 'guest-1@guest.invalid', email_skeleton: null },
      { email: 'mary@example.com', email_skeleton: 'rnary@exarnple.corn' },
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM users WHERE NOT is_provisional AND email_skeleton IS NULL`)).toEqual([{ n: 0 }]);
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
    expect(applied).toHaveLength(MIGRATION_NAMES.length);
    expect(await tableNames(db)).toEqual(expect.arrayContaining([...V1_TABLES, ...V2_TABLES]));
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('keeps every v1 row and value, with legacy enum names lower-cased', async () => {
    const upgraded = await v1Rows(db);
    for (const table of V1_TABLES.filter((name) => name !== 'material_prices')) {
      const expected = originalRows[table].map((row) => lowerCaseLegacyNames(table, JSON.parse((row as { row: string }).row)));
      const actual = upgraded[table].map((row) => pick(JSON.parse((row as { row: string }).row), Object.keys(expected[0])));
      expect(actual).toEqual(expected);
    }
  });

  it('keeps every v1 price, a row that priced several units becoming one row per unit', async () => {
    const expected = originalRows.material_prices.map((row) =>
      lowerCaseLegacyNames('material_prices', JSON.parse((row as { row: string }).row)),
    );
    const perUnit = await db.query<Record<string, unknown>>(
      `SELECT min(id) AS id, material_type, max(price_per_lb) AS price_per_lb, max(price_per_sqft) AS price_per_sqft, max(price_per_foot) AS price_per_foot,
              to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS') AS updated_at, notes, array_agg(unit ORDER BY unit) AS units
         FROM material_prices GROUP BY material_type, updated_at, notes ORDER BY min(id)`,
    );
    expect(perUnit.map(({ units: _units, ...row }) => row)).toEqual(expected);
    expect(perUnit.map((row) => [row.material_type, row.units])).toEqual([
      ['mild_steel', ['lb']],
      ['stainless_304', ['lb']],
      ['square_tubing', ['foot', 'lb']],
      ['flat_bar', ['lb']],
      ['aluminum_6061', ['lb', 'sqft']],
    ]);
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
    const prices = await db.query(`SELECT supplier, supplier_id, price_date, source, shop_id FROM material_prices`);
    expect(prices).toHaveLength(7);
    for (const price of prices) expect(price).toEqual({ supplier: null, supplier_id: null, price_date: null, source: null, shop_id: null });
  });

  it('reverts to the v1 schema with the v1 rows intact', async () => {
    for (const _ of MIGRATION_NAMES) await dataSource.undoLastMigration();
    expect(await schemaSnapshot(db, V1_TABLES)).toEqual(originalSchema);
    expect(await v1Rows(db)).toEqual(originalRows);
    expect((await tableNames(db)).filter((name) => V2_TABLES.includes(name))).toEqual([]);
  });

  it('upgrades again after the revert', async () => {
    expect(await dataSource.runMigrations()).toHaveLength(MIGRATION_NAMES.length);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('refuses to revert when v2 rows cannot be held by v1, and changes nothing', async () => {
    await db.query(
      `INSERT INTO material_prices (material_type, price_per_foot, unit, supplier) VALUES ('sq_tube_2x11ga', 3.45, 'foot', 'a supplier')`,
    );
    for (const _ of MIGRATION_NAMES.slice(2)) await dataSource.undoLastMigration();
    await expect(dataSource.undoLastMigration()).rejects.toThrow(/Cannot revert to v1/);
    const [{ count }] = await db.query<{ count: string }>(`SELECT count(*) FROM migrations`);
    expect(Number(count)).toBe(2);
    await dataSource.runMigrations();
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });
});

const LOWER_CASED_COLUMNS: Record<string, string> = { quotes: 'job_type', material_prices: 'material_type' };

function lowerCaseLegacyNames(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const column = LOWER_CASED_COLUMNS[table];
  if (!column || typeof row[column] !== 'string') return row;
  return { ...row, [column]: row[column].toLowerCase() };
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, row[key]]));
}

describe('the suppliers migration on a v2 database with prices', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let beforeSchema: unknown;
  const TABLES = ['material_prices', 'material_price_history'];

  beforeAll(async () => {
    db = await createTestDatabase();
    const v2 = await openMigrator(db, [V1Baseline1764201600000, V2Foundation1764201600001]);
    await v2.runMigrations();
    await v2.destroy();
    beforeSchema = await schemaSnapshot(db, TABLES);
    // What a v2 seeder left: one supplier under three spellings, and a price in two units.
    await db.query(`
      INSERT INTO material_prices (material_type, supplier, price_date, price_per_foot, price_per_lb, source) VALUES
        ('sq_tube_2x11ga', 'Osorio', '2024-03-01', 3.1, NULL, 'a.json:1'),
        ('sq_tube_2x11ga', 'OSORIO', '2024-06-01', 3.4, NULL, 'b.json:1'),
        ('sq_tube_2x11ga', 'osorio.', NULL, 2.0, NULL, 'c.json:1'),
        ('rect_tube_4x2x11ga', 'Wexler', '2024-06-03', 3.76, 3.42, 'w.json:4'),
        ('pipe_2_sch40', NULL, NULL, NULL, NULL, NULL);
      INSERT INTO material_price_history (material_type, supplier, price_date, price_per_foot, source) VALUES
        ('sq_tube_2x11ga', 'Osorio', '2024-03-01', 3.1, 'a.json:1'),
        ('sq_tube_2x11ga', 'OSORIO', '2024-03-01', 3.1, 'b.json:7'),
        ('sq_tube_2x11ga', 'OSORIO', '2024-06-01', 3.4, 'b.json:1');`);
    dataSource = await openMigrator(db, [V1Baseline1764201600000, V2Foundation1764201600001, SuppliersAndMappings1764201600002]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('makes the spellings one supplier, keeps the current price the rules choose, and splits units', async () => {
    expect(await dataSource.runMigrations()).toHaveLength(1);
    expect(await db.query(`SELECT name, name_key FROM suppliers ORDER BY name_key`)).toEqual([
      { name: 'OSORIO', name_key: 'osorio' },
      { name: 'Wexler', name_key: 'wexler' },
    ]);
    expect(
      await db.query(
        `SELECT material_type, supplier, unit, coalesce(price_per_foot, price_per_lb) AS price, price_date::text AS price_date
           FROM material_prices ORDER BY material_type, unit`,
      ),
    ).toEqual([
      { material_type: 'pipe_2_sch40', supplier: null, unit: null, price: null, price_date: null },
      { material_type: 'rect_tube_4x2x11ga', supplier: 'Wexler', unit: 'foot', price: 3.76, price_date: '2024-06-03' },
      { material_type: 'rect_tube_4x2x11ga', supplier: 'Wexler', unit: 'lb', price: 3.42, price_date: '2024-06-03' },
      { material_type: 'sq_tube_2x11ga', supplier: 'OSORIO', unit: 'foot', price: 3.4, price_date: '2024-06-01' },
    ]);
    // The replaced current prices stay observations; the observation stored under two spellings is one.
    expect(
      await db.query(
        `SELECT supplier, price_date::text AS price_date, price_per_foot FROM material_price_history ORDER BY price_date NULLS FIRST, price_per_foot`,
      ),
    ).toEqual([
      { supplier: 'OSORIO', price_date: null, price_per_foot: 2 },
      { supplier: 'OSORIO', price_date: '2024-03-01', price_per_foot: 3.1 },
      { supplier: 'OSORIO', price_date: '2024-06-01', price_per_foot: 3.4 },
    ]);
  });

  it('refuses to revert while owner mappings exist, or while one supplier has units of different dates, then reverts with every current price merged back', async () => {
    await db.query(
      `INSERT INTO material_prices (material_type, supplier, unit, price_per_lb, price_date) VALUES ('sq_tube_2x11ga', 'OSORIO', 'lb', 0.9, '2023-01-01')`,
    );
    await expect(dataSource.undoLastMigration()).rejects.toThrow(/prices of sq_tube_2x11ga differ by unit in date or source/);
    await db.query(`DELETE FROM material_prices WHERE unit = 'lb' AND material_type = 'sq_tube_2x11ga'`);
    await insertIgnoreMapping(db, 'Scrap');
    await expect(dataSource.undoLastMigration()).rejects.toThrow(/owner mappings exist/);
    await db.query(`DELETE FROM price_mappings`);
    await dataSource.undoLastMigration();
    expect(await schemaSnapshot(db, TABLES)).toEqual(beforeSchema);
    expect(
      await db.query(`SELECT material_type, supplier, price_per_foot, price_per_lb FROM material_prices ORDER BY material_type`),
    ).toEqual([
      { material_type: 'pipe_2_sch40', supplier: null, price_per_foot: null, price_per_lb: null },
      { material_type: 'rect_tube_4x2x11ga', supplier: 'Wexler', price_per_foot: 3.76, price_per_lb: 3.42 },
      { material_type: 'sq_tube_2x11ga', supplier: 'OSORIO', price_per_foot: 3.4, price_per_lb: null },
    ]);
  });
});

describe('the refresh families migration on a database with sessions', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const LIVE = '00000000-0000-4000-8000-000000000001';
  const REVOKED = '00000000-0000-4000-8000-000000000002';
  const refreshFamilies = MIGRATIONS.indexOf(RefreshFamilies1764201600006);

  beforeAll(async () => {
    db = await createTestDatabase();
    const before = await openMigrator(db, MIGRATIONS.slice(0, refreshFamilies));
    await before.runMigrations();
    await before.destroy();
    // Two logins of one shop: one rotated once and live, one revoked by a logout.
    await db.query(`
      INSERT INTO users (id, email, password_hash) VALUES (7, 'sessions@example.com', 'not a hash');
      INSERT INTO auth_tokens (id, user_id, token_hash, family_id, expires_at, created_at, superseded_at, replaced_by, revoked_at, user_agent, ip) VALUES
        (1, 7, repeat('a', 64), '${LIVE}', '2030-01-01Z', '2026-01-01Z', '2026-01-02Z', 2, NULL, 'first', '10.0.0.1'),
        (2, 7, repeat('b', 64), '${LIVE}', '2030-01-01Z', '2026-01-02Z', NULL, NULL, NULL, 'second', '10.0.0.2'),
        (3, 7, repeat('c', 64), '${REVOKED}', '2030-02-01Z', '2026-01-03Z', NULL, NULL, '2026-01-04Z', 'third', NULL);`);
    dataSource = await openMigrator(db, MIGRATIONS.slice(0, refreshFamilies + 1));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('makes a family row of each family: its start, latest use and client, end and revocation', async () => {
    expect(await dataSource.runMigrations()).toHaveLength(1);
    const families = await db.query(
      `SELECT id, user_id, created_at, last_used_at, expires_at, revoked_at, user_agent, ip FROM refresh_families ORDER BY id`,
    );
    expect(families).toEqual([
      {
        id: LIVE,
        user_id: 7,
        created_at: new Date('2026-01-01Z'),
        last_used_at: new Date('2026-01-02Z'),
        expires_at: new Date('2030-01-01Z'),
        revoked_at: null,
        user_agent: 'second',
        ip: '10.0.0.2',
      },
      {
        id: REVOKED,
        user_id: 7,
        created_at: new Date('2026-01-03Z'),
        last_used_at: new Date('2026-01-03Z'),
        expires_at: new Date('2030-02-01Z'),
        revoked_at: new Date('2026-01-04Z'),
        user_agent: 'third',
        ip: null,
      },
    ]);
  });

  it('reverts with a revocation made on a family row kept on its tokens', async () => {
    await db.query(`UPDATE refresh_families SET revoked_at = '2026-01-05Z' WHERE id = $1`, [LIVE]);
    await dataSource.undoLastMigration();
    expect(await tableNames(db)).not.toContain('refresh_families');
    expect(await db.query('SELECT id, revoked_at FROM auth_tokens ORDER BY id')).toEqual([
      { id: 1, revoked_at: new Date('2026-01-05Z') },
      { id: 2, revoked_at: new Date('2026-01-05Z') },
      { id: 3, revoked_at: new Date('2026-01-04Z') },
    ]);
  });
});
