import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { EmbeddedPostgres, IN_MEMORY } from '../../src/database/embedded/embedded-postgres';

/**
 * A database of its own for one test file: a throwaway database on the PostgreSQL server named by DATABASE_URL,
 * or, without it, an in-memory embedded PostgreSQL. Either way the app reaches it by URL, as in production.
 */
export interface TestDatabase {
  url: string;
  /** A configuration for an app on this database; `env` adds or overrides variables. */
  config(env?: Record<string, string>): AppConfig;
  /** The same settings as variables, for a spawned server (which logs at its default level). */
  env(env?: Record<string, string>): Record<string, string>;
  /** Runs SQL on a connection of its own (multi-statement text allowed when there are no parameters). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

// Room for an app's pool and a few direct connections of the test itself.
const EMBEDDED_MAX_CONNECTIONS = 40;

export const TEST_JWT_SECRET = randomBytes(48).toString('base64url');

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  // Rate-limit counters in Redis are per test database, so runs and files never share them.
  const redisKeyPrefix = `test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let url: string;
  let dispose: () => Promise<void>;
  if (serverUrl) {
    const name = `cs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const target = new URL(serverUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    dispose = () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  } else {
    const embedded = await EmbeddedPostgres.start(IN_MEMORY, EMBEDDED_MAX_CONNECTIONS);
    url = `postgres://postgres@${embedded.endpoint.host}:${embedded.endpoint.port}/postgres`;
    dispose = () => embedded.stop();
  }
  const variables = (env: Record<string, string> = {}) => ({
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: url,
    MIGRATE_ON_START: 'true',
    DATABASE_POOL_MAX: '10',
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ...env,
  });
  return {
    url,
    config: (env = {}) => loadConfig(variables({ LOG_LEVEL: 'error', ...env }), '/nonexistent/.env'),
    env: variables,
    query: (sql, params) => withClient(url, async (client) => (await client.query(sql, params)).rows),
    drop: dispose,
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
