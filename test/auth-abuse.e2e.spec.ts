import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { DEFAULT_PASSWORD, registerShop, uniqueEmail } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

let ipCounter = 0;
/** A client address of its own (the app trusts one proxy hop, so X-Forwarded-For names the client). */
const newIp = () => `10.${process.pid % 250}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describe('brute force without lockout of the owner', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const ACCOUNT_CEILING = 30;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({
      TRUST_PROXY: '1',
      RATE_LIMIT_LOGIN_ACCOUNT: `${ACCOUNT_CEILING}/15m`,
      RATE_LIMIT_LOGIN_IP: '1000/15m',
      RATE_LIMIT_REGISTER_IP: '1000/1h',
    }));
  });

  afterAll(() => closeTestApp(db, app));

  const login = (email: string, password: string, ip: string) =>
    request(app.getHttpServer()).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('an attacker who fails 50 times from one IP is stopped there, and the owner logs in from another', async () => {
    const shop = await registerShop(app);
    const attacker = newIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 50; attempt++) statuses.push((await login(shop.email, `guess ${attempt}`, attacker)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(new Set(statuses.slice(10))).toEqual(new Set([429]));
    // The right password from the attacker's IP stays refused for the window...
    expect((await login(shop.email, shop.password, attacker)).status).toBe(429);
    // ...and the owner, elsewhere, is not locked out.
    expect((await login(shop.email, shop.password, newIp())).status).toBe(200);
  });

  it('past the account-wide ceiling a never-seen IP gets 429, and the IP the owner logged in from still logs in', async () => {
    const shop = await registerShop(app);
    const ownersIp = newIp();
    expect((await login(shop.email, shop.password, ownersIp)).status).toBe(200);
    // A distributed attack: each IP stays under its own limit, together they pass the account's.
    for (let attacker = 0; attacker < ACCOUNT_CEILING / 10; attacker++) {
      const ip = newIp();
      for (let attempt = 0; attempt < 10; attempt++) expect((await login(shop.email, `guess ${attacker}-${attempt}`, ip)).status).toBe(401);
    }
    const stranger = await login(shop.email, shop.password, newIp());
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(shop.email, shop.password, ownersIp)).status).toBe(200);
    // The owner's IP keeps its own limit: its failures still count.
    expect((await login(shop.email, 'a typo', ownersIp)).status).toBe(401);
  });

  it('never locks out another account', async () => {
    const other = await registerShop(app);
    expect((await login(other.email, other.password, newIp())).status).toBe(200);
  });
});

describe('look-alike emails', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const register = (email: string) => request(app.getHttpServer()).post('/api/auth/register').send({ email, password: DEFAULT_PASSWORD });

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ RATE_LIMIT_REGISTER_IP: '1000/1h' }));
  });

  afterAll(() => closeTestApp(db, app));

  it.each([
    ['a zero-width space', (local: string) => `${local.slice(0, 2)}\u200b${local.slice(2)}`],
    ['a soft hyphen', (local: string) => `${local}\u00ad`],
    ['a right-to-left mark', (local: string) => `\u200f${local}`],
    ['full-width letters (NFKC)', (local: string) => local.replace(/o/g, '\uff4f')],
  ])('answers 409 to %s in an existing address', async (_case, disguise) => {
    const local = `owner${++ipCounter}`;
    await register(`${local}@example.com`).expect(201);
    const response = await register(`${disguise(local)}@example.com`).expect(409);
    expect(response.body.message).toBe('This email is already registered');
  });

  it('treats the NFC and NFD spellings of an address as one', async () => {
    const local = `jos\u00e9${++ipCounter}`;
    await register(`${local}@example.com`).expect(201);
    await register(`${local.normalize('NFD')}@example.com`).expect(409);
    const login = await request(app.getHttpServer())
      .post('/api/auth/login')
      .send({ email: `${local.normalize('NFD')}@example.com`, password: DEFAULT_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('refuses a new address with an invisible character, and one over 254 characters', async () => {
    const response = await register(`new\u200bcomer${++ipCounter}@example.com`).expect(400);
    expect(response.body.message).toEqual(['email holds an invisible character (zero-width, soft hyphen or direction mark)']);
    await register(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`).expect(400);
    await register(uniqueEmail()).expect(201);
  });
});

describe('rate limits run before the body is read', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ RATE_LIMIT_REGISTER_IP: '3/1h', RATE_LIMIT_LOGOUT_IP: '3/5m' }));
  });

  afterAll(() => closeTestApp(db, app));

  it('counts invalid registrations too: past the limit even a bad body gets 429, not 400', async () => {
    const register = (body: object) => request(app.getHttpServer()).post('/api/auth/register').send(body);
    for (let attempt = 0; attempt < 3; attempt++) await register({ email: 'not an email' }).expect(400);
    const refused = await register({ email: 'still not an email' }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits logout too', async () => {
    const logout = () =>
      request(app.getHttpServer())
        .post('/api/auth/logout')
        .send({ refresh_token: 'x'.repeat(40) });
    for (let attempt = 0; attempt < 3; attempt++) await logout().expect(204);
    await logout().expect(429);
  });
});
