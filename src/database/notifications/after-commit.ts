import {
  EntityManager,
  type EntitySubscriberInterface,
  EventSubscriber,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

import type { SqlClient } from '../sql-client';

type Callback = () => void;

const pending = new WeakMap<QueryRunner, Callback[]>();

/** Runs `callback` once the transaction `sql` runs in commits, or now outside one; a rollback drops it. */
export function afterCommit(sql: SqlClient, callback: Callback): void {
  const runner = sql instanceof EntityManager ? sql.queryRunner : isQueryRunner(sql) ? sql : undefined;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  const callbacks = pending.get(runner);
  if (callbacks) callbacks.push(callback);
  else pending.set(runner, [callback]);
}

@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // A released savepoint is not the end: the outer transaction may still roll back.
    if (queryRunner.isTransactionActive) return;
    const callbacks = pending.get(queryRunner) ?? [];
    pending.delete(queryRunner);
    for (const callback of callbacks) callback();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  }
}

function isQueryRunner(sql: SqlClient): sql is QueryRunner {
  return 'isTransactionActive' in sql;
}
