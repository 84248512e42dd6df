import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, registerShop } from './support/auth';
import { METRICS_TOKEN } from './support/guard-cache';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

/** The value of one sample of the exposition (`name{labels} value`), 0 when it is not there yet. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /api/metrics', () => {
  describe('without METRICS_TOKEN', () => {
    let db: TestDatabase;
    let app: NestFastifyApplication;

    beforeAll(async () => {
      ({ db, app } = await openTestApp());
    });

    afterAll(() => closeTestApp(db, app));

    it('does not exist', async () => {
      await request(app.getHttpServer()).get('/api/metrics').expect(404);
      await request(app.getHttpServer()).get('/api/metrics').set(bearer(METRICS_TOKEN)).expect(404);
    });
  });

  describe('with METRICS_TOKEN', () => {
    let db: TestDatabase;
    let app: NestFastifyApplication;
    const scrape = async () => (await request(app.getHttpServer()).get('/api/metrics').set(bearer(METRICS_TOKEN)).expect(200)).text;

    beforeAll(async () => {
      ({ db, app } = await openTestApp({ METRICS_TOKEN, RATE_LIMIT_GUEST_IP: '1/1h' }));
    });

    afterAll(() => closeTestApp(db, app));

    it('needs the token as a bearer token', async () => {
      await request(app.getHttpServer()).get('/api/metrics').expect(401);
      await request(app.getHttpServer())
        .get('/api/metrics')
        .set(bearer(`${METRICS_TOKEN}x`))
        .expect(401);
      // An access token of a shop is no metrics token.
      const shop = await registerShop(app);
      await request(app.getHttpServer()).get('/api/metrics').set(bearer(shop.access_token)).expect(401);
    });

    it('answers the Prometheus text format, with the process, the pool and the requests', async () => {
      const response = await request(app.getHttpServer()).get('/api/metrics').set(bearer(METRICS_TOKEN)).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(response.text).toMatch(/^db_pool_connections\{state="in_use"\} \d+$/m);
      expect(response.text).toMatch(/^db_pool_connections\{state="waiting"\} \d+$/m);
    });

    it('counts requests by route pattern and status, failed logins and rate-limit refusals', async () => {
      const before = await scrape();
      const shop = await registerShop(app);
      await request(app.getHttpServer()).get('/api/quotes/12345').set(bearer(shop.access_token)).expect(404);
      await request(app.getHttpServer()).get('/api/quotes/12346').set(bearer(shop.access_token)).expect(404);
      await request(app.getHttpServer()).post('/api/auth/login').send({ email: shop.email, password: 'not the password' }).expect(401);
      await request(app.getHttpServer()).post('/api/auth/guest').expect(201);
      await request(app.getHttpServer()).post('/api/auth/guest').expect(429);
      const csv = Buffer.from('material_type,price_per_foot\nsq_tube_2x11ga,3.45\n');
      await request(app.getHttpServer())
        .post('/api/material-prices/imports?dry_run=true')
        .set(bearer(shop.access_token))
        .attach('file', csv, 'p.csv')
        .expect(201);
      await request(app.getHttpServer())
        .post('/api/material-prices/imports')
        .set(bearer(shop.access_token))
        .attach('file', csv, 'p.png')
        .expect(415);
      const unknownRoute = await request(app.getHttpServer())
        .get('/api/no-such-route/123?token=secret')
        .set('X-Request-Id', 'unmatched-1')
        .expect(404);
      expect(unknownRoute.headers['x-request-id']).toBe('unmatched-1');
      const after = await scrape();

      const quoteById = '{method="GET",route="/api/quotes/:id",status="404"}';
      expect(
        sample(after, 'http_request_duration_seconds_count', quoteById) - sample(before, 'http_request_duration_seconds_count', quoteById),
      ).toBe(2);
      expect(after).not.toContain('/api/quotes/12345');
      // Unknown paths share one label, so a scanner cannot grow the series without bound.
      expect(sample(after, 'http_request_duration_seconds_count', '{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(
        1,
      );
      expect(after).not.toContain('no-such-route');
      expect(sample(after, 'auth_failed_logins_total') - sample(before, 'auth_failed_logins_total')).toBe(1);
      const guests = '{limit="guestsPerIp"}';
      expect(sample(after, 'rate_limit_rejections_total', guests) - sample(before, 'rate_limit_rejections_total', guests)).toBe(1);
      expect(sample(after, 'price_imports_total', '{kind="preview",status="201"}')).toBe(1);
      expect(sample(after, 'price_imports_total', '{kind="load",status="415"}')).toBe(1);
    });
  });
});
