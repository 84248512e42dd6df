import { HttpStatus, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

/** 42P01 undefined_table: nothing was ever migrated, not even the migrations table. */
const UNDEFINED_TABLE = '42P01';
/** While migrations are pending, the answer is read again at most this often. */
const RECHECK_MS = 5000;

/** What an operator reads when the schema is behind the code: the pending migrations and the command that applies them. */
export function notMigratedMessage(pending: readonly string[]): string {
  return `The database is not migrated: pending ${pending.join(', ')}; run "npm run migration:run" (or set MIGRATE_ON_START=true)`;
}

/**
 * Which migrations of this build the database has not applied. Once none is pending the answer stays (a running
 * server does not lose its schema); while some are, it is read again every few seconds, so the server answers
 * again once an operator has migrated.
 */
@Injectable()
export class MigrationStatusService {
  private allApplied = false;
  private checked: { at: number; pending: string[] } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async pending(): Promise<string[]> {
    if (this.allApplied) return [];
    if (this.checked && Date.now() - this.checked.at < RECHECK_MS) return this.checked.pending;
    const applied = new Set((await this.appliedNames()).map((row) => row.name));
    const pending = this.dataSource.migrations.map((migration) => migration.name!).filter((name) => !applied.has(name));
    this.allApplied = pending.length === 0;
    this.checked = { at: Date.now(), pending };
    return pending;
  }

  private async appliedNames(): Promise<{ name: string }[]> {
    try {
      return await this.dataSource.query(`SELECT name FROM ${this.dataSource.options.migrationsTableName ?? 'migrations'}`);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNDEFINED_TABLE) return [];
      throw error;
    }
  }
}

/** Routes that answer whatever the schema: health tells the operator what is pending; docs and metrics need no table. */
const ANSWERED_WHILE_NOT_MIGRATED = ['/api/health', '/api/docs', '/api/metrics'];
const RETRY_AFTER_SECONDS = 30;

/**
 * While migrations are pending, every other route answers 503 naming them, rather than failing on a missing
 * table as a 500. A database that cannot be asked is left to the database-unavailable answer.
 */
export function answerNotMigrated(app: NestFastifyApplication): void {
  const migrations = app.get(MigrationStatusService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      if (ANSWERED_WHILE_NOT_MIGRATED.some((prefix) => request.url.startsWith(prefix))) return;
      const pending = await migrations.pending().catch(() => []);
      if (pending.length === 0) return;
      await reply
        .code(HttpStatus.SERVICE_UNAVAILABLE)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, message: notMigratedMessage(pending), error: 'Service Unavailable' });
    });
}
