import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { SqlClient } from './sql-client';

/**
 * Named statements (parsed and planned once per connection) for the few run on most requests: about twice the
 * guard's rate. Never on PGlite: it is one backend, so a name prepared by one connection exists for the next.
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

  /** A name stands for one SQL text; only a query on the pool is named, one in a transaction runs as it is. */
  async query<T>(client: SqlClient, name: string, sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.prepared || client !== this.dataSource) return client.query<T[]>(sql, parameters);
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
