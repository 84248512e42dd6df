import { DatabaseError } from 'pg';
import { type AfterQueryEvent, type EntitySubscriberInterface, EventSubscriber, type QueryRunner } from 'typeorm';

/**
 * TypeORM's PostgresQueryRunner releases its connection this way when the connection emits an error (the method is
 * private in its types): pg-pool destroys a client released with an error, and the runner stays released.
 */
type ReleasableWithError = QueryRunner & { releasePostgresConnection(error: unknown): Promise<void> };

/**
 * Registered with the data source: a connection whose query failed without an answer from the server (the driver's
 * `query_timeout`, a socket that failed) is destroyed instead of going back to the pool. The driver never forgets
 * the query it gave up on, so every later query on that connection would queue behind a reply that may never come.
 * A refusal the server sent (a DatabaseError: a constraint, a cancelled statement) leaves the connection in step,
 * so it stays pooled.
 */
@EventSubscriber()
export class BrokenConnectionSubscriber implements EntitySubscriberInterface {
  afterQuery({ success, error, queryRunner }: AfterQueryEvent): Promise<void> | undefined {
    if (success || error instanceof DatabaseError) return undefined;
    return (queryRunner as ReleasableWithError).releasePostgresConnection(error);
  }
}
