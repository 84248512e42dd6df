import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../migrations';
import { BrokenConnectionSubscriber } from './broken-connections';
import type { EmbeddedEndpoint } from './embedded/embedded-postgres';
import { ENTITIES } from './entities';
import { AfterCommitSubscriber } from './notifications/after-commit';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Shared by the app, ormconfig.ts (the TypeORM CLI) and the tests. */
export function dataSourceOptions(config: AppConfig, embedded?: EmbeddedEndpoint): DataSourceOptions {
  const { url, poolMax, statementTimeoutMs, acquireTimeoutMs } = config.database;
  if (!url && !embedded) throw new Error('No DATABASE_URL and no embedded PostgreSQL endpoint');
  return {
    type: 'postgres',
    // The pg this code imports, so that its DatabaseError is the one the driver throws (the bundle holds one pg).
    driver: pg,
    ...(url ? { url } : { host: embedded!.host, port: embedded!.port, username: 'postgres', database: 'postgres' }),
    entities: ENTITIES,
    subscribers: [AfterCommitSubscriber, BrokenConnectionSubscriber],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // The schema is the migrations' business; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: poolMax,
      // Fail fast when the database is away or every connection is busy, instead of queueing for ever.
      connectionTimeoutMillis: acquireTimeoutMs,
      // The driver gives up on a reply that does not come (a stalled network never tells the server anything).
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs,
      idleTimeoutMillis: 30000,
    },
  };
}
