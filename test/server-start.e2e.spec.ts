import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { EmbeddedPostgres } from '../src/database/embedded/embedded-postgres';
import { MIGRATIONS } from '../src/migrations';
import { pollUntil } from './support/poll';
import { runBuilt, startServer, stopServer } from './support/processes';
import { TEST_JWT_SECRET } from './support/test-database';

/** Where `npm run build` puts the migrated database a new embedded folder starts from. */
const BUILT_IMAGE = 'dist/embedded-image/pgdata';

/** PostgreSQL's system identifier (the first field of pg_control): initdb draws a new one, a copy keeps it. */
function systemIdentifier(dataDir: string): string {
  return readFileSync(join(dataDir, 'global', 'pg_control'))
    .subarray(0, 8)
    .toString('hex');
}

describe('starting the built server', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-start-'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts on the embedded default in a fresh folder, migrates and answers /api/health', async () => {
    const dataDir = join(folder, 'nested', 'pglite');
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir }, folder);
    try {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        database: 'up',
        components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] } },
      });

      const second = await runBuilt('main.js', [], { JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir, PORT: '0' }, folder);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another process/);
    } finally {
      server.child.kill('SIGTERM');
    }
    // The server drains, runs the shutdown hooks and exits cleanly.
    expect((await server.exit).code).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    // The lock went with the process: the folder opens again, already migrated.
    const again = await startServer({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir }, folder);
    await pollUntil(() => again.printed().includes('Listening for row changes'), 1500);
    const { stdout } = await stopServer(again);
    expect(stdout).not.toMatch(/Migration .* has been executed/);
    // A clean stop is no incident: nothing at warning level or above (pino's 40, 50, 60).
    expect(stdout).not.toMatch(/"level":[456]0/);
  });

  it("starts a fresh folder as a copy of the build's migrated image, every migration of this code applied", async () => {
    if (!existsSync(BUILT_IMAGE)) throw new Error(`${BUILT_IMAGE} is missing: build with \`npm run build\` (nest build, then the image)`);
    const dataDir = join(folder, 'from-image', 'pglite');
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir }, folder);
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      expect((await stopServer(server)).code).toBe(0);
    }
    expect(systemIdentifier(dataDir)).toBe(systemIdentifier(BUILT_IMAGE));

    const embedded = await EmbeddedPostgres.start(dataDir, 1);
    const client = new Client({ host: embedded.endpoint.host, port: embedded.endpoint.port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await client.end();
      await embedded.stop();
    }
  });

  it('refuses to start without JWT_SECRET and names it', async () => {
    const result = await runBuilt('main.js', [], { PGLITE_DIR: join(folder, 'unused') }, folder);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/JWT_SECRET is required/);
    expect(result.stderr).toMatch(/randomBytes/);
  });
});
