import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, registerShop } from './support/auth';
import { type AppBehindProxy, openAppBehindProxy, type TcpProxy } from './support/tcp-proxy';

// operations.md: no request waits more than 10 s, whatever the database does.
const REQUEST_BOUND_MS = 10_000;
const RECOVERY_ATTEMPTS = 100;

describe('the database stalls: connections stay open, nothing comes back', () => {
  let setUp: AppBehindProxy;
  let proxy: TcpProxy;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    setUp = await openAppBehindProxy({
      DATABASE_STATEMENT_TIMEOUT_MS: '1500',
      DATABASE_ACQUIRE_TIMEOUT_MS: '1500',
      DATABASE_POOL_MAX: '4',
      // Every request here must reach the database: the guard's cache would answer /me from memory until it
      // notices the stall itself (guard-cache.e2e covers that).
      AUTH_CACHE_SECONDS: '0',
    });
    ({ proxy, app, url } = setUp);
  });

  afterAll(async () => {
    await setUp?.close();
  });

  it('answers 503 with Retry-After within the bound, more requests than connections included, and recovers by itself', async () => {
    const shop = await registerShop(app);
    const me = () => request(url).get('/api/auth/me').set(bearer(shop.access_token)).timeout(REQUEST_BOUND_MS);
    await me().expect(200);

    proxy.stall();
    const stalled = await Promise.all([
      ...Array.from({ length: 6 }, () => me()),
      ...Array.from({ length: 3 }, () => request(url).get('/api/quotes').set(bearer(shop.access_token)).timeout(REQUEST_BOUND_MS)),
    ]);
    for (const response of stalled) {
      expect(response.status).toBe(503);
      expect(response.body.message).toBe('The database is unavailable; try again shortly');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }

    proxy.resume();
    let status = 0;
    for (let attempt = 0; attempt < RECOVERY_ATTEMPTS && status !== 200; attempt++) status = (await me()).status;
    expect(status).toBe(200);
    await request(url).get('/api/quotes').set(bearer(shop.access_token)).timeout(REQUEST_BOUND_MS).expect(200);
  });
});
