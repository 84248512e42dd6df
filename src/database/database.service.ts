import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import { type PoolStatistics, poolStatistics } from './pool-statistics';
import type { SqlClient } from './sql-client';

/** The connection of one transaction: repositories run the transaction's statements on it. */
export type Transaction = EntityManager;

/** A pooled connection held by its caller, who starts, commits or rolls back its transactions and releases it. */
export type HeldConnection = QueryRunner;

/**
 * The database as the services outside this folder see it: the transactions they orchestrate over several
 * repositories, the pool for repositories built on a SqlClient, a ping and the pool's numbers.
 */
@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Each statement on its own connection of the pool, committed by itself. */
  get pool(): SqlClient {
    return this.dataSource;
  }

  /** Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (manager: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A connection of the pool for work that controls its own transactions; the caller must release it. */
  holdConnection(): HeldConnection {
    return this.dataSource.createQueryRunner();
  }

  /** Resolves once the database has answered a trivial query. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  poolStatistics(): PoolStatistics {
    return poolStatistics(this.dataSource);
  }
}
