import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { formatReport, type LoadReport } from '../../src/price-loads/load-report';
import { SeedModule } from '../../src/seed/seed.module';
import type { SeedOptions } from '../../src/seed/seed-options';
import { SeederService } from '../../src/seed/seeder.service';
import { insertUsers } from './factories';
import { createTestDatabase, type TestDatabase } from './test-database';

export const REAL_EXPORTS = 'test/fixtures/supplier-exports';
export const SEEDED_TABLES = ['material_prices', 'material_price_history', 'historical_actuals', 'suppliers', 'price_mappings'];
export const NOTHING_SEEDED = Object.fromEntries(SEEDED_TABLES.map((table) => [table, []]));

/** The seeder's own module on a database of its own, with helpers to give it folders and read what it wrote. */
export interface SeederHarness {
  db: TestDatabase;
  /** Runs the seeder as the command would, with `options` over the command's defaults. */
  run(directory: string, options?: Partial<SeedOptions>): Promise<LoadReport>;
  /** A fresh folder holding `files`: JSON values are written as JSON, strings as they are. */
  folder(files: Record<string, unknown>): Promise<string>;
  /** Every row of the seeded tables, as JSON text so values compare exactly. */
  tables(): Promise<Record<string, string[]>>;
  /** Empties the seeded tables. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openSeeder(): Promise<SeederHarness> {
  const db = await createTestDatabase();
  // MIGRATE_ON_START (set by db.config) migrates the database.
  const context: INestApplicationContext = await NestFactory.createApplicationContext(SeedModule.forRoot(db.config()), { logger: false });
  const seeder = context.get(SeederService);
  const workdir = await mkdtemp(join(tmpdir(), 'seed-spec-'));
  let folderCount = 0;
  return {
    db,
    run: (directory, options = {}) =>
      seeder.run({ directory, directoryGiven: false, mappingsFile: null, reportFile: null, dryRun: false, shopEmail: null, ...options }),
    async folder(files) {
      folderCount += 1;
      const path = join(workdir, `folder-${folderCount}`);
      await mkdir(path);
      for (const [name, content] of Object.entries(files)) {
        await writeFile(join(path, name), typeof content === 'string' ? content : JSON.stringify(content));
      }
      return path;
    },
    async tables() {
      const rows: Record<string, string[]> = {};
      for (const table of SEEDED_TABLES) {
        rows[table] = (await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY id`)).map((r) => r.row);
      }
      return rows;
    },
    reset: () => db.query(`TRUNCATE ${SEEDED_TABLES.join(', ')} RESTART IDENTITY`).then(() => undefined),
    async close() {
      await context.close();
      await db.drop();
      await rm(workdir, { recursive: true, force: true });
    },
  };
}

export const printed = (report: LoadReport): string => formatReport(report).join('\n');

/** A canonical material price per foot. */
export const price = (materialType: string, pricePerFoot: number, date: string | null, supplier = 'Osorio') => ({
  material_type: materialType,
  price_per_foot: pricePerFoot,
  supplier,
  date,
});

/** A shop account straight in the database (the seeder only needs its id and email). */
export async function createShop(db: TestDatabase, email: string): Promise<number> {
  const [id] = await insertUsers(db, { email });
  return id;
}
