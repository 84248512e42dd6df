import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client, Query } from 'pg';

import { loadConfig } from '../src/config/app-config';
import { EmbeddedPostgres, IN_MEMORY } from '../src/database/embedded/embedded-postgres';
import { EMBEDDED_POSTGRES } from '../src/database/embedded/embedded-postgres.module';
import { bearer, httpOf, registerShop } from './support/auth';
import { cacheHits, listening, METRICS_TOKEN, warmUp } from './support/guard-cache';
import { pollUntil } from './support/poll';
import { runNode } from './support/processes';
import { startTestApp } from './support/test-app';
import { TEST_JWT_SECRET } from './support/test-database';

/** Longer than the guard's listener waits for a probe on a PostgreSQL server (1 s), so the test sees past it. */
const STATEMENT_SECONDS = 6;
/** Pace of the requests made while the statement runs. */
const ROUND_INTERVAL_MS = 50;

/**
 * A statement that holds the database for STATEMENT_SECONDS, sent on a connection of its own. `started` resolves
 * once it runs: its first result (larger than PostgreSQL's 8 kB send buffer, so it is sent at once) comes before
 * the sleep.
 */
function longStatement(client: Client): { started: Promise<void>; done: Promise<void>; isRunning: () => boolean } {
  let running = true;
  const query = client.query(new Query(`SELECT repeat('x', 100000) AS started; SELECT pg_sleep(${STATEMENT_SECONDS})`));
  const started = new Promise<void>((resolve) => query.once('row', () => resolve()));
  const done = new Promise<void>((resolve, reject) => {
    query.once('end', () => resolve());
    query.once('error', reject);
  }).finally(() => (running = false));
  return { started, done, isRunning: () => running };
}

// Without DATABASE_URL: PGlite and its wire server run in a thread of their own, so a statement that holds the
// database does not hold the event loop, and what the server answers from memory it answers meanwhile.
describe('the embedded database in its own thread', () => {
  let app: NestFastifyApplication;
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    app = await startTestApp(
      loadConfig(
        { JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: IN_MEMORY, METRICS_TOKEN, AUTH_CACHE_SECONDS: '3600', LOG_LEVEL: 'error' },
        '/nonexistent/.env',
      ),
    );
    embedded = app.get<EmbeddedPostgres>(EMBEDDED_POSTGRES);
    await pollUntil(() => listening(app));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers /api/health/live and a session held in memory for as long as a long statement runs', async () => {
    const shop = await registerShop(app);
    await warmUp(app, shop.access_token);
    const hitsBefore = await cacheHits(app);

    const client = new Client({ ...embedded.endpoint, user: 'postgres', database: 'postgres' });
    await client.connect();
    const rounds: { live: number; me: number; listening: boolean; whileRunning: boolean }[] = [];
    try {
      const statement = longStatement(client);
      await statement.started;
      while (statement.isRunning()) {
        const live = await httpOf(app).get('/api/health/live');
        const me = await httpOf(app).get('/api/auth/me').set(bearer(shop.access_token));
        rounds.push({ live: live.status, me: me.status, listening: await listening(app), whileRunning: statement.isRunning() });
        await new Promise((resolve) => setTimeout(resolve, ROUND_INTERVAL_MS));
      }
      await statement.done;
    } finally {
      await client.end();
    }

    // The first requests were answered while the statement still ran: the event loop was not held.
    expect(rounds[0]).toEqual({ live: 200, me: 200, listening: true, whileRunning: true });
    // And so was every other: the guard answered each session from memory and never stopped trusting it, though the
    // listener's probes waited behind the statement.
    expect(rounds.filter((round) => round.live !== 200 || round.me !== 200 || !round.listening)).toEqual([]);
    expect((await cacheHits(app)) - hitsBefore).toBe(rounds.length);
  });
});

describe('a process that exits while its embedded database runs a statement', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'cs-thread-'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // As when the shutdown's deadline passes during a long statement: the process exits without stopping the database.
  it("ends the database's thread with it, lets go of the folder, and keeps what was committed", async () => {
    const dataDir = join(folder, 'pglite');
    const script = join(folder, 'exit-during-a-statement.cjs');
    writeFileSync(
      script,
      `const { EmbeddedPostgres } = require(${JSON.stringify(resolve('dist/compiled/database/embedded/embedded-postgres.js'))});
const { Client, Query } = require(${JSON.stringify(resolve('node_modules/pg'))});
(async () => {
  const embedded = await EmbeddedPostgres.start(${JSON.stringify(dataDir)}, 1);
  const client = new Client({ ...embedded.endpoint, user: 'postgres', database: 'postgres' });
  await client.connect();
  await client.query('CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)');
  const query = client.query(new Query("SELECT repeat('x', 100000) AS started; SELECT pg_sleep(600)"));
  query.once('row', () => process.exit(3));
})();
`,
    );
    expect((await runNode(script, [], {})).code).toBe(3);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    const embedded = await EmbeddedPostgres.start(dataDir, 1);
    const client = new Client({ ...embedded.endpoint, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      expect((await client.query('SELECT id FROM kept')).rows).toEqual([{ id: 1 }]);
    } finally {
      await client.end();
      await embedded.stop();
    }
  });
});
