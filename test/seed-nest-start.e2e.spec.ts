import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

import { type Finished, runNode } from './support/processes';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const NEST_CLI = resolve('node_modules/@nestjs/cli/bin/nest.js');

describe('the seeder run with the Nest CLI: nest start --entryFile seed', () => {
  // DECISION: `nest start` always compiles before it spawns; with this tsconfig it type-checks one small file,
  // emits nothing and spawns dist/compiled/seed.js (the outDir of tsconfig.build.json + entryFile), which the build
  // that `npm test` makes has compiled. The tsconfig sits in a folder of this test under .data/ (git-ignored): -p
  // takes a path relative to the working directory (the project); paths inside a tsconfig are relative to it.
  mkdirSync('.data', { recursive: true });
  const configs = mkdtempSync(join('.data', 'nest-start-'));
  const prices = mkdtempSync(join(tmpdir(), 'cs-nest-start-'));
  const startConfig = join(configs, 'tsconfig.start.json');
  let db: TestDatabase;

  const nest = (args: string[]) =>
    runNode(NEST_CLI, args, {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      MIGRATE_ON_START: 'true',
      // The CLI spawns the seeder as `node …` through a shell: the node running these tests.
      PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    });
  const priceRowCount = async () =>
    (
      await db.query<{ count: number }>(
        'SELECT ((SELECT count(*) FROM material_prices) + (SELECT count(*) FROM material_price_history))::int AS count',
      )
    )[0].count;

  beforeAll(async () => {
    db = await createTestDatabase();
    writeFileSync(
      join(prices, 'prices.json'),
      JSON.stringify([{ material_type: 'sq_tube_1.5x11ga', price_per_foot: 1.55, supplier: 'Osorio', date: '2025-01-22', notes: null }]),
    );
    writeFileSync(
      startConfig,
      JSON.stringify({
        extends: '../../tsconfig.build.json',
        compilerOptions: { noEmit: true },
        include: [],
        files: ['../../src/seed/launcher-arguments.ts'],
      }),
    );
    // The refused run never reaches the database, so it is migrated here: by a dry run of the compiled seeder.
    expectExit(
      await runNode(resolve('dist/compiled/seed.js'), ['--dry-run', '--dir', prices], {
        DATABASE_URL: db.url,
        JWT_SECRET: TEST_JWT_SECRET,
        MIGRATE_ON_START: 'true',
      }),
      0,
    );
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(configs, { recursive: true, force: true });
    rmSync(prices, { recursive: true, force: true });
  });

  it('refuses, writing nothing, when the seeder options come before "--" (the CLI drops them)', async () => {
    const run = await nest(['start', '-p', startConfig, '--entryFile', 'seed', '--dry-run', '--dir', prices]);

    expectExit(run, 1);
    expect(run.stderr).toContain(
      `nest start passed none of these options to the seeder: --dry-run --dir ${prices}. Nothing was loaded. ` +
        `Put the seeder's options after "--": nest start --entryFile seed -- --dry-run --dir ${prices}`,
    );
    expect(run.stdout).not.toContain('Loading');
    expect(await priceRowCount()).toBe(0);
  });

  it('runs the dry run when the seeder options follow "--"', async () => {
    const run = await nest(['start', '-p', startConfig, '--entryFile', 'seed', '--', '--dry-run', '--dir', prices]);

    expectExit(run, 0);
    expect(run.stdout).toContain('Dry run');
    expect(run.stderr).not.toContain('nest start passed none');
    expect(await priceRowCount()).toBe(0);
  });
});

function expectExit(run: Finished, code: number): void {
  if (run.code !== code) throw new Error(`expected exit code ${code}, got ${run.code ?? run.signal}:\n${run.stderr}${run.stdout}`);
}
