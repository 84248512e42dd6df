import { Client, type Notification } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { ROW_CHANGES_CHANNEL } from '../src/database/notifications/row-changes.service';
import { insertRefreshFamilies, insertRefreshToken, insertUsers } from './support/factories';
import { pollUntil } from './support/poll';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const FAMILY = '22222222-2222-4222-8222-222222222222';
const MARK = 'mark';

// The database announces every change the guard depends on, whoever writes it; a session's mere use is not one.
describe('row change notifications', () => {
  let db: TestDatabase;
  let listener: Client;
  const heard: string[] = [];

  /** Runs `sql`, then a mark of its own, and answers what was heard in between: notifications arrive in commit order. */
  async function announcedBy(sql: string): Promise<string[]> {
    heard.length = 0;
    await db.query(sql);
    await db.query(`SELECT pg_notify('${ROW_CHANGES_CHANNEL}', '${MARK}')`);
    await pollUntil(() => heard.includes(MARK));
    return heard.filter((payload) => payload !== MARK);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(db.config())).initialize();
    await dataSource.runMigrations();
    await dataSource.destroy();
    await insertUsers(db, { id: 7 });
    await insertRefreshFamilies(db, 7, { id: FAMILY });
    await insertRefreshToken(db, 7, FAMILY);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', ({ payload }: Notification) => heard.push(payload ?? ''));
    await listener.query(`LISTEN ${ROW_CHANGES_CHANNEL}`);
  });

  afterAll(async () => {
    await listener?.end();
    await db?.drop();
  });

  it("announces a change of a user's row", async () => {
    expect(await announcedBy(`UPDATE users SET shop_name = 'Iron' WHERE id = 7`)).toEqual(['users:7']);
  });

  it("does not announce a family's use", async () => {
    expect(await announcedBy(`UPDATE refresh_families SET last_used_at = now(), ip = '10.0.0.1' WHERE id = '${FAMILY}'`)).toEqual([]);
  });

  it('announces a family ended by hand, on its row or through one of its tokens', async () => {
    expect(await announcedBy(`UPDATE refresh_families SET expires_at = now() WHERE id = '${FAMILY}'`)).toEqual([
      `refresh_families:${FAMILY}`,
    ]);
    expect(await announcedBy(`UPDATE auth_tokens SET revoked_at = now() WHERE family_id = '${FAMILY}'`)).toEqual([
      `refresh_families:${FAMILY}`,
    ]);
  });

  it('announces deletions, and a TRUNCATE as a change of every row', async () => {
    expect(await announcedBy(`DELETE FROM users WHERE id = 7`)).toEqual(expect.arrayContaining(['users:7', `refresh_families:${FAMILY}`]));
    expect(await announcedBy('TRUNCATE users CASCADE')).toEqual(expect.arrayContaining(['users:*', 'refresh_families:*']));
  });
});
