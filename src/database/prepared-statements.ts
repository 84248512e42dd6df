import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';

/**
 * The few statements run on most requests, prepared once per pooled connection (a named statement: PostgreSQL
 * parses and plans it once, then only binds and executes), which roughly doubled the rate of the guard's query
 * against a bare pool. TypeORM's `query` has no way to name a statement, so these go to its pg pool directly,
 * logged through TypeORM's logger and failing with its QueryFailedError as every other statement does.
 * DECISION: never on PGlite: it is one backend for every connection, so a name prepared by one connection is
 * taken for the next ("prepared statement already exists"). It is recognised by its version(), also when it is
 * reached by URL (the tests' embedded server). DATABASE_PREPARED_STATEMENTS=false turns them off behind a pooler.
 */
@Injectable()
export class PreparedStatements implements OnModuleInit {
  private prepared = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.url || !this.config.database.preparedStatements) return;
    const [{ version }]: { version: string }[] = await this.dataSource.query('SELECT version()');
    this.prepared = !version.includes('PGlite');
  }

  /** The rows of `sql`, prepared under `name` where statements are prepared; a name stands for one SQL text. */
  async query<T>(name: string, sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.prepared) return this.dataSource.query<T[]>(sql, parameters);
    this.dataSource.logger.logQuery(sql, parameters);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    try {
      return (await pool.query({ name, text: sql, values: parameters })).rows as T[];
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, sql, parameters);
      throw new QueryFailedError(sql, parameters, error as Error);
    }
  }
}
