import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { PreparedStatements } from '../src/database/prepared-statements';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// One connection, so that the statements prepared on it are the ones pg_prepared_statements shows.
describe('the prepared statements', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let onPglite: boolean;

  const preparedNames = async () =>
    (await dataSource.query<{ name: string }[]>('SELECT name FROM pg_prepared_statements ORDER BY name')).map((row) => row.name);

  async function preparedStatements(env: Record<string, string> = {}): Promise<PreparedStatements> {
    const queries = new PreparedStatements(dataSource, db.config({ DATABASE_POOL_MAX: '1', ...env }));
    await queries.onModuleInit();
    return queries;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.config({ DATABASE_POOL_MAX: '1' }))).initialize();
    const [{ version }] = await dataSource.query<{ version: string }[]>('SELECT version()');
    onPglite = version.includes('PGlite');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('are prepared once on a PostgreSQL server, never on the embedded database, and answer the same', async () => {
    const queries = await preparedStatements();
    expect(await queries.query(dataSource, 'hot_sum', 'SELECT $1::int + 1 AS sum', [41])).toEqual([{ sum: 42 }]);
    expect(await queries.query(dataSource, 'hot_sum', 'SELECT $1::int + 1 AS sum', [1])).toEqual([{ sum: 2 }]);
    expect(await preparedNames()).toEqual(onPglite ? [] : ['hot_sum']);
  });

  it('are not prepared when DATABASE_PREPARED_STATEMENTS=false', async () => {
    const queries = await preparedStatements({ DATABASE_PREPARED_STATEMENTS: 'false' });
    expect(await queries.query(dataSource, 'hot_product', 'SELECT $1::int * 2 AS product', [21])).toEqual([{ product: 42 }]);
    expect(await preparedNames()).not.toContain('hot_product');
  });

  it('fail as any other statement does', async () => {
    const queries = await preparedStatements();
    await expect(queries.query(dataSource, 'hot_broken', 'SELECT * FROM no_such_table', [])).rejects.toMatchObject({
      name: 'QueryFailedError',
      driverError: expect.objectContaining({ code: '42P01' }),
    });
  });
});
