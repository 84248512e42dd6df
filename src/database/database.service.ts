import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';

import { type PoolStatistics, poolStatistics } from './pool-statistics';
import type { SqlClient } from './sql-client';

export type { QueryRunner };

@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Each query on a connection of the pool, outside any transaction. */
  get pool(): SqlClient {
    return this.dataSource;
  }

  transaction<T>(work: (sql: SqlClient) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The caller must release it. */
  holdConnection(): QueryRunner {
    return this.dataSource.createQueryRunner();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  poolStatistics(): PoolStatistics {
    return poolStatistics(this.dataSource);
  }
}
