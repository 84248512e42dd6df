import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, registerShop } from './support/auth';
import { pollUntil } from './support/poll';
import { type AppBehindProxy, openAppBehindProxy, type TcpProxy } from './support/tcp-proxy';
import type { TestDatabase } from './support/test-database';

const WRITERS = 8;
const REQUESTS_PER_WRITER = 60;
// No request may hang: one that has not answered by then fails the test on its own, whatever the phase.
const REQUEST_BOUND_MS = 15_000;
// Conditions are polled every 50 ms, for 20 s at most.
const POLL_MS = 50;
const POLL_ATTEMPTS = 400;

interface Attempt {
  description: string;
  status: number;
  id?: number;
  phase: 'before' | 'cut' | 'after';
}

describe('the database goes away under load', () => {
  let setUp: AppBehindProxy;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    setUp = await openAppBehindProxy();
    ({ db, proxy, app, url } = setUp);
  });

  afterAll(async () => {
    await setUp?.close();
  });

  it('answers 503 while it is away, writes nothing by halves, and recovers by itself', async () => {
    const http = () => request(url);
    const shop = await registerShop(app);
    let phase: Attempt['phase'] = 'before';
    const attempts: Attempt[] = [];

    const createQuote = async (description: string): Promise<void> => {
      const during = phase;
      const response = await http()
        .post('/api/quotes')
        .set(bearer(shop.access_token))
        .send({ job_type: 'swing_gate', project_description: description, inputs_json: { description } })
        .timeout(REQUEST_BOUND_MS);
      attempts.push({ description, status: response.status, id: response.body.id, phase: during });
    };
    // Writers create quotes back to back, each a bounded number of times, while the database is cut and restored.
    const writers = Array.from({ length: WRITERS }, async (_, writer) => {
      for (let index = 0; index < REQUESTS_PER_WRITER && phase !== 'after'; index++) await createQuote(`writer ${writer} quote ${index}`);
    });

    await pollUntil(() => attempts.filter((attempt) => attempt.status === 201).length >= 2 * WRITERS, POLL_ATTEMPTS, POLL_MS);
    phase = 'cut';
    await proxy.cut();
    await pollUntil(() => attempts.filter((attempt) => attempt.phase === 'cut').length >= 2 * WRITERS, POLL_ATTEMPTS, POLL_MS);
    const health = await http().get('/api/health').timeout(REQUEST_BOUND_MS);
    expect(health.status).toBe(503);
    expect(health.body.components.database).toEqual({ status: 'down' });
    // The process is alive all along: a supervisor must not restart it for a database that went away.
    await http().get('/api/health/live').timeout(REQUEST_BOUND_MS).expect(200);
    await http().get('/api/auth/me').set(bearer(shop.access_token)).timeout(REQUEST_BOUND_MS).expect(503);

    await proxy.restore();
    phase = 'after';
    await Promise.all(writers);
    // Recovery needs no restart: the pool replaces the connections it lost.
    await pollUntil(async () => (await http().get('/api/health').timeout(REQUEST_BOUND_MS)).status === 200, POLL_ATTEMPTS, POLL_MS);
    await createQuote('after the cut');
    await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);

    // Every answer was a success or a 503: no 500, no hang.
    expect(new Set(attempts.map((attempt) => attempt.status))).toEqual(new Set([201, 503]));
    expect(attempts.filter((attempt) => attempt.phase === 'cut' && attempt.status === 503).length).toBeGreaterThan(0);
    expect(attempts.at(-1)?.status).toBe(201);

    // Nothing half-written: every stored quote is whole, every 201 is stored, and the numbers run 1..N without a
    // gap or a repeat, so a number taken by a transaction that was cut went back with it.
    const stored = await db.query<{
      id: number;
      quote_number: string;
      project_description: string;
      inputs_json: { description: string };
      job_type: string;
    }>('SELECT id, quote_number, project_description, inputs_json, job_type FROM quotes WHERE user_id = $1 ORDER BY quote_number', [
      shop.user_id,
    ]);
    for (const quote of stored) {
      expect(quote).toMatchObject({ job_type: 'swing_gate', inputs_json: { description: quote.project_description } });
    }
    const storedIds = new Set(stored.map((quote) => quote.id));
    for (const created of attempts.filter((attempt) => attempt.status === 201)) expect(storedIds).toContain(created.id);
    expect(stored.map((quote) => quote.quote_number)).toEqual(
      stored.map((_, index) => `Q${shop.user_id}-${String(index + 1).padStart(5, '0')}`),
    );
    const [owner] = await db.query<{ quote_seq: number }>('SELECT quote_seq FROM users WHERE id = $1', [shop.user_id]);
    expect(owner.quote_seq).toBe(stored.length);
  });

  it('cut in the middle of a price import: 503, and nothing of the import is left', async () => {
    const http = () => request(url);
    const shop = await registerShop(app);
    // 30,000 distinct observations (100 materials from 300 suppliers): the history goes out in batches of 5,000
    // rows, about a megabyte each, so a cut after the first megabyte falls between the first write and the commit.
    const rows = Array.from(
      { length: 30_000 },
      (_, index) => `sq_tube_${1 + (index % 100)}x11ga,${(1 + index / 10_000).toFixed(4)},Supplier ${Math.floor(index / 100)},2025-03-01`,
    );
    const csv = `material_type,price_per_foot,supplier,date\n${rows.join('\n')}\n`;

    const cut = proxy.afterSending(1024 * 1024).then(() => proxy.cut());
    const answer = http()
      .post('/api/material-prices/imports')
      .set(bearer(shop.access_token))
      .attach('file', Buffer.from(csv), 'big.csv')
      .timeout(REQUEST_BOUND_MS);
    // The cut comes first: an import that answers before it would not be one cut in the middle.
    expect(
      await Promise.race([
        cut.then(() => 'cut'),
        answer.then((response) => `answered ${response.status}: ${JSON.stringify(response.body)}`),
      ]),
    ).toBe('cut');
    expect((await answer).status).toBe(503);
    await proxy.restore();
    await pollUntil(async () => (await http().get('/api/health').timeout(REQUEST_BOUND_MS)).status === 200, POLL_ATTEMPTS, POLL_MS);

    for (const table of ['material_prices', 'material_price_history', 'suppliers', 'price_imports']) {
      expect(await db.query(`SELECT id FROM ${table} WHERE shop_id = $1`, [shop.user_id])).toEqual([]);
    }
    // The same import once the database is back loads whole.
    const retried = await http()
      .post('/api/material-prices/imports')
      .set(bearer(shop.access_token))
      .attach('file', Buffer.from(csv), 'big.csv')
      .timeout(REQUEST_BOUND_MS * 2);
    expect(retried.status).toBe(201);
    const [{ count }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM material_price_history WHERE shop_id = $1', [
      shop.user_id,
    ]);
    expect(count).toBe(rows.length);
  });
});
