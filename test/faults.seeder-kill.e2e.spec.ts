import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { childEnv, type Finished, finished, runBuilt } from './support/processes';
import { startTcpProxy } from './support/tcp-proxy';
import { startTestApp } from './support/test-app';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const LARGE_RUN = { records: 15_000, keys: 1_500, files: 3 };
const BASELINE = { records: 400, keys: 40, files: 1 };
// The seeder reaches its database through a TCP proxy that counts the bytes it sends: it is killed once this much
// has gone, well into its transaction (history batches of 5,000 rows are about a megabyte each), long before the
// commit of the 15,000 records.
const KILL_AFTER_SENDING_BYTES = 1024 * 1024;
const SUMMARY = /Loaded \d+ material prices, \d+ already current/;
const PRICE_TABLES = ['material_prices', 'material_price_history', 'historical_actuals'];

describe('the seeder killed with SIGKILL in the middle of a large run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cs-seed-kill-'));
  let killed: TestDatabase;
  let clean: TestDatabase;

  const generate = (name: string, { records, keys, files }: typeof LARGE_RUN) =>
    runBuilt('../bench/price-records.mjs', [join(scratch, name), String(records), String(keys), String(files)], {})
      .then(expectSuccess)
      .then(() => join(scratch, name));
  const seed = (db: TestDatabase, dir: string) =>
    runBuilt('seed.js', ['--dir', dir], { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });

  beforeAll(async () => {
    [killed, clean] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    for (const db of [killed, clean]) await (await startTestApp(db.config())).close();
  });

  afterAll(async () => {
    await killed?.drop();
    await clean?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('leaves the database exactly as before, and the re-run reports what a clean run reports', async () => {
    const [baseline, large] = await Promise.all([generate('baseline', BASELINE), generate('large', LARGE_RUN)]);
    // Both databases start with prices already loaded, so "as before" is not merely "empty".
    for (const db of [killed, clean]) expectSuccess(await seed(db, baseline));
    const before = await priceRows(killed);

    const cleanRun = expectSuccess(await seed(clean, large));

    const proxy = await startTcpProxy(killed.url);
    try {
      const child = spawn(process.execPath, [resolve('dist/seed.js'), '--dir', large], { env: childEnv({ DATABASE_URL: proxy.url }) });
      const exit = finished(child);
      const midway = proxy.afterSending(KILL_AFTER_SENDING_BYTES).then(() => child.kill('SIGKILL'));
      // The kill comes first: a run that ended before it would prove nothing.
      expect(await Promise.race([midway.then(() => 'killed'), exit.then((result) => `exited first with ${result.code}`)])).toBe('killed');
      expect((await exit).signal).toBe('SIGKILL');
    } finally {
      await proxy.close();
    }

    expect(await priceRows(killed)).toEqual(before);

    const rerun = expectSuccess(await seed(killed, large));
    expect(SUMMARY.exec(rerun.stdout)?.[0]).toBe(SUMMARY.exec(cleanRun.stdout)?.[0]);
    expect(await priceContents(killed)).toEqual(await priceContents(clean));
  });
});

function expectSuccess(run: Finished): Finished {
  if (run.code !== 0) throw new Error(`exited with ${run.code ?? run.signal}:\n${run.stderr}${run.stdout}`);
  return run;
}

/** Every row of the tables the seeder writes, ids and timestamps included: "exactly as before". */
async function priceRows(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of PRICE_TABLES) rows[table] = await db.query(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY id`);
  return rows;
}

/** What the prices say, without the ids and load times that differ between two databases. */
async function priceContents(db: TestDatabase): Promise<unknown[]> {
  return db.query(
    `SELECT 'current' AS kind, shop_id, material_type, supplier, price_date::text, price_per_foot, price_per_lb, price_per_sqft FROM material_prices
     UNION ALL
     SELECT 'history', shop_id, material_type, supplier, price_date::text, price_per_foot, price_per_lb, price_per_sqft FROM material_price_history
     ORDER BY 1, 3, 4, 5, 6`,
  );
}
