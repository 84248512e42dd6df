import { HttpStatus, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

const UNDEFINED_TABLE = '42P01';
const RECHECK_MS = 5000;

export function notMigratedMessage(pending: readonly string[]): string {
  return `The database is not migrated: pending ${pending.join(', ')}; run "npm run migration:run" (or set MIGRATE_ON_START=true)`;
}

// Once none is pending the answer stays; while some are, it is read again every few seconds.
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

// Health tells the operator what is pending; docs and metrics need no table.
const ANSWERED_WHILE_NOT_MIGRATED = ['/api/health', '/api/docs', '/api/metrics'];
const RETRY_AFTER_SECONDS = 30;

// Every other route answers 503 naming the pending migrations rather than a 500 on a missing table.
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
