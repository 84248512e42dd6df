import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { DatabaseService } from '../src/database/database.service';
import { bearer, registerShop } from './support/auth';
import { pollUntil } from './support/poll';
import { type AppBehindProxy, openAppBehindProxy, type TcpProxy } from './support/tcp-proxy';

const POOL_MAX = 4;
// operations.md: no request waits more than 10 s, whatever the database does.
const REQUEST_BOUND_MS = 10_000;
// Health is asked again every 50 ms, 20 times at most: a pool that lost its connections opens new ones at once,
// while one that kept them gives each ask to a connection still waiting for a lost reply (2 s to answer 503).
const POLL_MS = 50;
const POLL_ATTEMPTS = 20;
// Each round sends more requests at once than the pool has connections, so every pooled connection serves some.
const REQUESTS_PER_ROUND = 2 * POOL_MAX;
const ROUNDS = 4;

describe("the network loses the database's replies", () => {
  let setUp: AppBehindProxy;
  let proxy: TcpProxy;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    setUp = await openAppBehindProxy({
      DATABASE_STATEMENT_TIMEOUT_MS: '1500',
      DATABASE_ACQUIRE_TIMEOUT_MS: '1500',
      DATABASE_POOL_MAX: String(POOL_MAX),
      // Every request here must reach the database, not the guard's cache.
      AUTH_CACHE_SECONDS: '0',
    });
    ({ proxy, app, url } = setUp);
  });

  afterAll(async () => {
    await setUp?.close();
  });

  it('destroys the connections whose queries timed out: once health answers again, every request succeeds', async () => {
    const shop = await registerShop(app);
    const health = () => request(url).get('/api/health').timeout(REQUEST_BOUND_MS);
    const quotes = () => request(url).get('/api/quotes').set(bearer(shop.access_token)).timeout(REQUEST_BOUND_MS);
    const round = async (ask: () => request.Test) =>
      (await Promise.all(Array.from({ length: REQUESTS_PER_ROUND }, ask))).map((response) => response.status);
    // Every connection of the pool is open before the loss, so that the loss catches each with a query on the wire.
    expect(await round(health)).toEqual(Array(REQUESTS_PER_ROUND).fill(200));

    proxy.drop();
    expect(await round(health)).toEqual(Array(REQUESTS_PER_ROUND).fill(503));

    proxy.resume();
    await pollUntil(async () => (await health()).status === 200, POLL_ATTEMPTS, POLL_MS);
    const statuses: number[] = [];
    for (let index = 0; index < ROUNDS; index++) statuses.push(...(await round(health)), ...(await round(quotes)));
    expect(statuses).toEqual(Array(2 * ROUNDS * REQUESTS_PER_ROUND).fill(200));
  });

  it('keeps a connection whose statement the server refused: it answered, so the connection is in step', async () => {
    const connection = app.get(DatabaseService).holdConnection();
    try {
      const [{ pid }] = (await connection.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      await expect(connection.query('SELECT 1 / 0')).rejects.toThrow('division by zero');
      expect(connection.isReleased).toBe(false);
      expect(await connection.query('SELECT pg_backend_pid() AS pid')).toEqual([{ pid }]);
    } finally {
      await connection.release();
    }
  });
});
