import { DatabaseError } from 'pg';
import { type AfterQueryEvent, type EntitySubscriberInterface, EventSubscriber, type QueryRunner } from 'typeorm';

/** Private in TypeORM's types: pg-pool destroys a client released with an error. */
type ReleasableWithError = QueryRunner & { releasePostgresConnection(error: unknown): Promise<void> };

/**
 * A connection whose query failed without the server's answer (`query_timeout`, a failed socket) is destroyed: the
 * driver never forgets the query it gave up on, so every later one would queue behind it. A DatabaseError leaves
 * the connection in step, so it stays pooled.
 */
@EventSubscriber()
export class BrokenConnectionSubscriber implements EntitySubscriberInterface {
  afterQuery({ success, error, queryRunner }: AfterQueryEvent): Promise<void> | undefined {
    if (success || error instanceof DatabaseError) return undefined;
    return (queryRunner as ReleasableWithError).releasePostgresConnection(error);
  }
}
