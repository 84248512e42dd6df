import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { registerShop } from './support/auth';
import { describeWithRedis, REDIS_URL } from './support/redis';
import { startTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// Nothing listens there: a Redis that is down, as the instance sees it.
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('Redis configured but unreachable', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(
      db.config({
        REDIS_URL: UNREACHABLE_REDIS,
        RATE_LIMIT_GUEST_IP: '2/1h',
        RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/15m',
        RATE_LIMIT_REGISTER_IP: '100/1h',
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it("keeps every limit, counted in this instance's memory", async () => {
    const guest = () => request(app.getHttpServer()).post('/api/auth/guest');
    await guest().expect(201);
    await guest().expect(201);
    await guest().expect(429);

    const shop = await registerShop(app);
    const login = (password: string) => request(app.getHttpServer()).post('/api/auth/login').send({ email: shop.email, password });
    for (let attempt = 0; attempt < 3; attempt++) await login('a wrong password').expect(401);
    await login('a wrong password').expect(429);
  });

  it('reports itself degraded, with redis down, and stays 200 so a balancer keeps it', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({
      status: 'degraded',
      database: 'up',
      redis: 'down',
      components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] }, redis: { status: 'down' } },
    });
    await request(app.getHttpServer()).get('/api/health/ready').expect(200, response.body);
    await request(app.getHttpServer()).get('/api/health/live').expect(200);
  });
});

describeWithRedis('Redis configured and up', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.config({ REDIS_URL }));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('reports redis up', async () => {
    const response = await request(app.getHttpServer()).get('/api/health/ready').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: 'up',
      redis: 'up',
      components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] }, redis: { status: 'up' } },
    });
  });
});
