import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { afterCommit } from '../src/database/notifications/after-commit';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// What a transaction announces (the guard cache's own writes) runs once it has committed, never before, never after a rollback.
describe('afterCommit on the data source the app uses', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.config())).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('holds a callback until the transaction commits', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      afterCommit(manager, () => ran.push('committed'));
      await manager.query('SELECT 1');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);
  });

  it('drops the callback of a transaction that rolls back', async () => {
    const ran: string[] = [];
    await expect(
      dataSource.transaction(async (manager) => {
        afterCommit(manager, () => ran.push('committed'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await dataSource.transaction((manager) => manager.query('SELECT 1'));
    expect(ran).toEqual([]);
  });
});
