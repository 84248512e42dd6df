import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { DATABASE_TOOL_USES, loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { EmbeddedPostgres } from '../src/database/embedded/embedded-postgres';
import { MIGRATIONS } from '../src/migrations';

const CONFIG = loadConfig({}, '', DATABASE_TOOL_USES);
const NAMES = MIGRATIONS.map((migration) => migration.name);

/** Starts the embedded server on `dataDir` (from `image` when given), runs `work` on a DataSource over it, stops. */
async function withEmbedded<T>(
  dataDir: string,
  options: { image?: { folder: string; migrations: string[] }; migrations?: typeof MIGRATIONS; migrationsRun?: boolean },
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const embedded = await EmbeddedPostgres.start(dataDir, 2, options.image);
  const dataSource = new DataSource({
    ...dataSourceOptions(CONFIG, embedded.endpoint),
    extra: { max: 2 },
    migrations: options.migrations ?? MIGRATIONS,
    migrationsRun: options.migrationsRun ?? false,
  });
  try {
    await dataSource.initialize();
    if (options.migrationsRun) await dataSource.runMigrations();
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
  }
}

async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((row) => row.name);
}

describe('a new embedded folder started from an image', () => {
  let folder: string;
  let image: { folder: string; migrations: string[] };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cs-image-'));
    // An image made by an older build: only the first migrations of this code.
    const older = MIGRATIONS.slice(0, 3);
    const imageFolder = join(folder, 'image');
    await withEmbedded(imageFolder, { migrations: older, migrationsRun: true }, async () => undefined);
    image = { folder: imageFolder, migrations: older.map((migration) => migration.name) };
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is a copy of the image, and the migrations it lacks then run', async () => {
    const dataDir = join(folder, 'fresh', 'pglite');
    const before = await withEmbedded(dataDir, { image }, appliedMigrations);
    expect(before).toEqual(NAMES.slice(0, 3));

    await withEmbedded(dataDir, { migrationsRun: true }, async () => undefined);
    expect(await withEmbedded(dataDir, {}, appliedMigrations)).toEqual(NAMES);
    // The image itself is left as it was.
    expect(await withEmbedded(image.folder, {}, appliedMigrations)).toEqual(NAMES.slice(0, 3));
  });

  it('also fills an empty folder, and never touches one that holds anything', async () => {
    const empty = join(folder, 'empty');
    mkdirSync(empty);
    expect(await withEmbedded(empty, { image }, appliedMigrations)).toEqual(NAMES.slice(0, 3));
    expect(existsSync(`${empty}.copying`)).toBe(false);

    // A folder that is not a database (a file in it) is not replaced by the image: PGlite gets it as it is.
    const occupied = join(folder, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'notes.txt'), 'mine');
    await withEmbedded(occupied, { image }, async (dataSource) => {
      expect(await dataSource.query(`SELECT to_regclass('public.migrations') AS t`)).toEqual([{ t: null }]);
    });
    expect(existsSync(join(occupied, 'notes.txt'))).toBe(true);
  });

  it('is created as before when the image cannot be used', async () => {
    const dataDir = join(folder, 'broken-image');
    const broken = { folder: join(folder, 'not-a-database'), migrations: [] };
    mkdirSync(broken.folder);
    writeFileSync(join(broken.folder, 'PG_VERSION'), '1\n');
    await withEmbedded(dataDir, { image: broken, migrationsRun: true }, async (dataSource) => {
      expect(await appliedMigrations(dataSource)).toEqual(NAMES);
    });
  });
});
