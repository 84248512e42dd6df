import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { MemoryRateLimiter } from '../src/auth/rate-limit/memory-rate-limiter';
import type { RateLimiter } from '../src/auth/rate-limit/rate-limiter';
import { RedisRateLimiter } from '../src/auth/rate-limit/redis-rate-limiter';
import { DEFAULT_PASSWORD, registerShop, uniqueEmail } from './support/auth';
import { describeWithRedis, REDIS_URL } from './support/redis';
import { closeTestApp, openTestApp, startTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';


/** A client address of its own for each test, sent through X-Forwarded-For to an app that trusts one proxy. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** What every rate limiter must do, whatever keeps its counts. */
const limiterContract = (makeLimiter: () => RateLimiter) => () => {
  let limiter: RateLimiter;

  beforeEach(() => {
    limiter = makeLimiter();
  });

  afterEach(async () => {
    await limiter.close();
  });

  it('allows `count` events per window, then refuses with the seconds until a slot frees', async () => {
    const limit = { count: 3, windowSeconds: 60 };
    for (let event = 0; event < 3; event++) expect((await limiter.hit('a', limit)).allowed).toBe(true);
    const refused = await limiter.hit('a', limit);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (refused.allowed) throw new Error('unreachable');
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Refused events are not recorded, and other keys have counts of their own.
    expect((await limiter.hit('a', limit)).allowed).toBe(false);
    expect((await limiter.hit('b', limit)).allowed).toBe(true);
  });

  it('takes an event back with undo', async () => {
    const limit = { count: 2, windowSeconds: 60 };
    const first = await limiter.hit('k', limit);
    await limiter.hit('k', limit);
    expect((await limiter.hit('k', limit)).allowed).toBe(false);
    if (!first.allowed) throw new Error('the first event was refused');
    await limiter.undo('k', first.id);
    expect((await limiter.hit('k', limit)).allowed).toBe(true);
    expect((await limiter.hit('k', limit)).allowed).toBe(false);
  });

  it('never lets concurrent events overshoot the limit', async () => {
    const limit = { count: 5, windowSeconds: 60 };
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.hit('burst', limit)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
  });

  it('slides: events leave the window one by one', async () => {
    const limit = { count: 2, windowSeconds: 1 };
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    await sleep(400);
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    expect((await limiter.hit('s', limit)).allowed).toBe(false);
    await sleep(700); // the first event has left the window, the second has not
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    expect((await limiter.hit('s', limit)).allowed).toBe(false);
  });
};

describe('the rate limiter in memory', limiterContract(() => new MemoryRateLimiter()));
describeWithRedis('the rate limiter in Redis', limiterContract(() => new RedisRateLimiter(REDIS_URL, `test:${process.pid}:${randomBytes(4).toString('hex')}:`)));

describe('MemoryRateLimiter', () => {
  it('sweeps keys whose events have all left the window', async () => {
    const limiter = new MemoryRateLimiter();
    const realNow = Date.now.bind(Date);
    try {
      await limiter.hit('old', { count: 1, windowSeconds: 60 });
      await limiter.hit('recent', { count: 1, windowSeconds: 3600 });
      const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 120_000);
      (limiter as unknown as { sweep(now: number): void }).sweep(Date.now());
      clock.mockRestore();
      const logs = (limiter as unknown as { logs: Map<string, unknown> }).logs;
      expect([...logs.keys()]).toEqual(['recent']);
    } finally {
      await limiter.close();
    }
  });
});

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
    const shop = await http().post('/api/auth/register').set('X-Forwarded-For', randomIp()).send({ email: uniqueEmail(), password: DEFAULT_PASSWORD }).expect(201);
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
  let apps: NestFastifyApplication[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = db.config({ REDIS_URL, TRUST_PROXY: '1', RATE_LIMIT_GUEST_IP: '2/1h' });
    apps = [await startTestApp(config), await startTestApp(config)];
  });

  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    await db?.drop();
  });

  it('counts the events of both instances together', async () => {
    // A fresh address, so that counters left in Redis by earlier runs do not matter.
    const ip = randomIp();
    const guest = (app: NestFastifyApplication) => request(app.getHttpServer()).post('/api/auth/guest').set('X-Forwarded-For', ip);
    await guest(apps[0]).expect(201);
    await guest(apps[1]).expect(201);
    await guest(apps[0]).expect(429);
    await guest(apps[1]).expect(429);
    // Each instance still authenticates its own requests (strategies are per application, not process-wide).
    const shop = await registerShop(apps[1]);
    await request(apps[0].getHttpServer()).get('/api/auth/me').set('Authorization', `Bearer ${shop.access_token}`).expect(200);
  });
});
