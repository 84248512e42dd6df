import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import { type PoolStatistics, poolStatistics } from './pool-statistics';
import type { SqlClient } from './sql-client';

export type Transaction = EntityManager;

export type HeldConnection = QueryRunner;

@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get pool(): SqlClient {
    return this.dataSource;
  }

  transaction<T>(work: (manager: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The caller must release it. */
  holdConnection(): HeldConnection {
    return this.dataSource.createQueryRunner();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  poolStatistics(): PoolStatistics {
    return poolStatistics(this.dataSource);
  }
}
