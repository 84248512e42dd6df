import { randomBytes, randomInt } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import request from 'supertest';

import { RedisRateLimiter } from '../src/auth/rate-limit/redis-rate-limiter';
import { bearer, DEFAULT_PASSWORD, httpOf, registerShop, uniqueEmail } from './support/auth';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { type LimiterClock, limiterContract } from './support/rate-limiter-contract';
import { describeWithRedis, REDIS_URL } from './support/redis';
import { closeTestApp, openTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** A client address of its own for each test, sent through X-Forwarded-For to an app that trusts one proxy. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describeWithRedis(
  'the rate limiter in Redis',
  limiterContract(redisClock, () => new RedisRateLimiter(REDIS_URL, `test:${process.pid}:${randomBytes(4).toString('hex')}:`)),
);

/** Redis counts by its own clock (TIME): the test reads it and polls until it has come. */
function redisClock(): LimiterClock {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  const now = async () => {
    const [seconds, microseconds] = await client.time();
    return Number(seconds) * 1000 + Math.floor(Number(microseconds) / 1000);
  };
  return {
    now,
    reach: async (at) => pollUntil(async () => (await now()) >= at, 300, 10),
    close: async () => void client.disconnect(),
  };
}

describe('rate limits over HTTP, per client IP behind one trusted proxy', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ db, app } = await openTestApp({
      TRUST_PROXY: '1',
      RATE_LIMIT_LOGIN_IP: '3/15m',
      RATE_LIMIT_REGISTER_IP: '4/1h',
      RATE_LIMIT_GUEST_IP: '2/1h',
      RATE_LIMIT_REFRESH_IP: '2/5m',
    }));
  });

  afterAll(() => closeTestApp(db, app));

  it('limits failed logins per client IP, across accounts', async () => {
    const attacker = randomIp();
    const login = (ip: string, email: string, password = 'wrong password') =>
      http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
    for (let attempt = 0; attempt < 3; attempt++) await login(attacker, uniqueEmail('victim')).expect(401);
    const limited = await login(attacker, uniqueEmail('victim')).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await login(randomIp(), uniqueEmail('victim')).expect(401);
  });

  it('limits registrations per client IP', async () => {
    const ip = randomIp();
    const register = (from: string) =>
      http().post('/api/auth/register').set('X-Forwarded-For', from).send({ email: uniqueEmail(), password: DEFAULT_PASSWORD });
    for (let registration = 0; registration < 4; registration++) await register(ip).expect(201);
    const limited = await register(ip).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    await register(randomIp()).expect(201);
  });

  it('limits guest accounts per client IP', async () => {
    const ip = randomIp();
    const guest = (from: string) => http().post('/api/auth/guest').set('X-Forwarded-For', from);
    await guest(ip).expect(201);
    await guest(ip).expect(201);
    const limited = await guest(ip).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await guest(randomIp()).expect(201);
  });

  it('limits refreshes per client IP', async () => {
    const ip = randomIp();
    const refresh = (token: string) => http().post('/api/auth/refresh').set('X-Forwarded-For', ip).send({ refresh_token: token });
    const shop = await http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', randomIp())
      .send({ email: uniqueEmail(), password: DEFAULT_PASSWORD })
      .expect(201);
    const first = await refresh(shop.body.refresh_token).expect(200);
    await refresh('unknown token').expect(401);
    await refresh(first.body.refresh_token).expect(429);
  });
});

describe('rate limits without a trusted proxy', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ RATE_LIMIT_GUEST_IP: '1/1h' }));
  });

  afterAll(() => closeTestApp(db, app));

  it('takes the client IP from the socket and ignores X-Forwarded-For', async () => {
    await request(app.getHttpServer()).post('/api/auth/guest').set('X-Forwarded-For', randomIp()).expect(201);
    await request(app.getHttpServer()).post('/api/auth/guest').set('X-Forwarded-For', randomIp()).expect(429);
  });
});

describeWithRedis('rate limits in Redis, shared by two instances', () => {
  let db: TestDatabase;
  let servers: Server[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = db.env({ REDIS_URL, TRUST_PROXY: '1', RATE_LIMIT_GUEST_IP: '2/1h' });
    // Two processes, as in production; the second starts on the database the first migrated.
    servers = [await startServer(env)];
    servers.push(await startServer({ ...env, MIGRATE_ON_START: 'false' }));
  });

  afterAll(async () => {
    for (const server of servers ?? []) await stopServer(server);
    await db?.drop();
  });

  it('counts the events of both instances together', async () => {
    // A fresh address, so that counters left in Redis by earlier runs do not matter.
    const ip = randomIp();
    const guest = (server: Server) => httpOf(server.url).post('/api/auth/guest').set('X-Forwarded-For', ip);
    await guest(servers[0]).expect(201);
    await guest(servers[1]).expect(201);
    await guest(servers[0]).expect(429);
    await guest(servers[1]).expect(429);
    // A session opened on one instance is honoured by the other.
    const shop = await registerShop(servers[1].url);
    await httpOf(servers[0].url).get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
  });
});
