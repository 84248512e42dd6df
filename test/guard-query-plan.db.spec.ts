import { AbstractLogger, DataSource, type LogLevel, type LogMessage } from 'typeorm';

import { AuthTokensRepository } from '../src/auth/auth-tokens.repository';
import { dataSourceOptions } from '../src/database/data-source-options';
import { MigrationStatusService } from '../src/database/migration-status.service';
import { RowChangesService } from '../src/database/notifications/row-changes.service';
import { PreparedStatements } from '../src/database/prepared-statements';
import { insertRefreshFamilies, insertUsers } from './support/factories';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ENDED_LOGINS = 5000;
const LIVE_FAMILY = '11111111-1111-4111-8111-111111111111';

/** Keeps the statements TypeORM runs, with their parameters, so that the test can EXPLAIN exactly those. */
class StatementRecorder extends AbstractLogger {
  readonly statements: { sql: string; parameters: unknown[] }[] = [];

  protected writeLog(_level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const { type, message: sql, parameters } of Array.isArray(message) ? message : [message]) {
      if (type === 'query') this.statements.push({ sql: String(sql), parameters: (parameters as unknown[] | undefined) ?? [] });
    }
  }
}

interface PlanNode {
  'Relation Name'?: string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

// The guard runs on every request: it must find the token's family by primary key whatever the user's history, also
// when the planner's statistics were taken before that history (a shop that logged in daily for years, among shops
// with a login each when the table was last analysed).
describe("the guard's query on a user with a long history and stale statistics", () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const recorder = new StatementRecorder(['query']);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource({ ...dataSourceOptions(db.config()), logger: recorder, logging: ['query'] }).initialize();
    await dataSource.runMigrations();
    for (const userId of await insertUsers(db, { id: 1, count: 50 })) await insertRefreshFamilies(db, userId);
    await db.query('ALTER TABLE refresh_families SET (autovacuum_enabled = false); ANALYZE refresh_families');
    await insertRefreshFamilies(db, 1, { count: ENDED_LOGINS, revoked: true });
    await insertRefreshFamilies(db, 1, { id: LIVE_FAMILY });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('reads the family through its primary key, no other row of the user', async () => {
    const rowChanges = new RowChangesService(db.config(), null, new MigrationStatusService(dataSource));
    const preparedStatements = new PreparedStatements(dataSource, db.config());
    await preparedStatements.onModuleInit();
    recorder.statements.length = 0;
    const session = await new AuthTokensRepository(dataSource, rowChanges, preparedStatements).findLiveSession(dataSource, 1, LIVE_FAMILY);
    expect(session?.user.email).toBe('shop1@example.com');
    expect(recorder.statements).toHaveLength(1);
    const [{ sql, parameters }] = recorder.statements;

    const [
      {
        'QUERY PLAN': [plan],
      },
    ] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, parameters);
    const familyReads = nodesOf(plan.Plan).filter((node) => node['Relation Name'] === 'refresh_families');
    const [primaryKey] = await db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'refresh_families'::regclass AND contype = 'p'`,
    );
    expect(familyReads.map((node) => ({ index: node['Index Name'], removed: node['Rows Removed by Filter'] ?? 0 }))).toEqual([
      { index: primaryKey.name, removed: 0 },
    ]);
  });
});
