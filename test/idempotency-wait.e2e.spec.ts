import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';

import { requestFingerprint } from '../src/quotes/idempotency/idempotent-request';
import { bearer, registerShop, type TokenResponse } from './support/auth';
import { pollUntil } from './support/poll';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const BODY = { job_type: 'bollard' };

// Another request's transaction is played by a connection of the test that holds the key uncommitted, so the moment
// the server's request meets it is certain. PostgreSQL only: the embedded database runs one transaction at a time.
describe('a request whose Idempotency-Key another request holds uncommitted', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shop: TokenResponse;
  let holder: pg.Client | undefined;

  const create = (key: string) =>
    request(app.getHttpServer()).post('/api/quotes').set(bearer(shop.access_token)).set('Idempotency-Key', key).send(BODY);

  async function holdKey(key: string): Promise<pg.Client> {
    holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO idempotency_keys (shop_id, key, fingerprint, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`,
      [shop.user_id, key, requestFingerprint('POST', '/api/quotes', BODY)],
    );
    return holder;
  }

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '2000' }));
    shop = await registerShop(app);
  });

  afterEach(async () => {
    await holder?.end();
    holder = undefined;
  });

  afterAll(() => closeTestApp(db, app));

  it('waits for it and answers what it stored', async () => {
    const held = await holdKey('held-then-answered');
    const answer = create('held-then-answered').then((response) => response);
    await pollUntil(
      async () =>
        (await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO idempotency_keys%'`))
          .length === 1,
    );
    await held.query(
      `UPDATE idempotency_keys SET status_code = 201, response = '{"id": 0, "version": 1, "answered": "first"}' WHERE key = $1`,
      ['held-then-answered'],
    );
    await held.query('COMMIT');
    const response = await answer;
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: 0, version: 1, answered: 'first' });
    expect((await db.query('SELECT count(*)::int AS n FROM quotes WHERE user_id = $1', [shop.user_id]))[0]).toEqual({ n: 0 });
  });

  it('answers 409 once a statement may wait no longer, and runs when the holder gave the key up', async () => {
    const held = await holdKey('held-then-dropped');
    const busy = await create('held-then-dropped').expect(409);
    expect(busy.body.message).toContain('Idempotency-Key');
    await held.query('ROLLBACK');
    const created = await create('held-then-dropped').expect(201);
    expect(created.body).toMatchObject({ job_type: 'bollard', version: 1 });
  });
});
