import { randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, craftJwt, createGuest, DEFAULT_PASSWORD, jwtClaims, registerShop, uniqueEmail } from './support/auth';
import { startTestApp } from './support/test-app';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const now = () => Math.floor(Date.now() / 1000);

describe('auth security', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('with the default settings', () => {
    let app: NestFastifyApplication;
    const http = () => request(app.getHttpServer());
    const me = (token: string) => http().get('/api/auth/me').set(bearer(token));

    beforeAll(async () => {
      // Many accounts from one address in this file; the failed-login limits keep their defaults (10 per account).
      app = await startTestApp(db.config({ RATE_LIMIT_REGISTER_IP: '1000/1h', RATE_LIMIT_GUEST_IP: '1000/1h' }));
    });

    afterAll(async () => {
      await app?.close();
    });

    /** The claims of a real, live token of `shop`: only what a test changes makes the server refuse it. */
    const liveClaims = (token: string) => ({ ...jwtClaims(token), iat: now(), exp: now() + 600 });

    it('accepts a hand-made token only when it is exactly what the server signs (control)', async () => {
      const shop = await registerShop(app);
      await me(craftJwt({ alg: 'HS256', typ: 'JWT' }, liveClaims(shop.access_token), TEST_JWT_SECRET)).expect(200);
    });

    it('rejects an alg: none token', async () => {
      const shop = await registerShop(app);
      const claims = liveClaims(shop.access_token);
      await me(craftJwt({ alg: 'none', typ: 'JWT' }, claims)).expect(401);
      await me(craftJwt({ alg: 'none', typ: 'JWT' }, claims).slice(0, -1)).expect(401);
      await me(craftJwt({ alg: 'NONE', typ: 'JWT' }, claims)).expect(401);
    });

    it('rejects another algorithm, even with the right secret', async () => {
      const shop = await registerShop(app);
      await me(craftJwt({ alg: 'HS512', typ: 'JWT' }, liveClaims(shop.access_token), TEST_JWT_SECRET)).expect(401);
      await me(craftJwt({ alg: 'HS384', typ: 'JWT' }, liveClaims(shop.access_token), TEST_JWT_SECRET)).expect(401);
    });

    it('rejects a tampered signature', async () => {
      const shop = await registerShop(app);
      const victim = await registerShop(app);
      const [header, payload, signature] = shop.access_token.split('.');
      // Someone else's user id under the shop's signature.
      const forged = Buffer.from(JSON.stringify({ ...jwtClaims(shop.access_token), sub: String(victim.user_id) })).toString('base64url');
      await me(`${header}.${forged}.${signature}`).expect(401);
      // One flipped signature character (the first: every bit of it is significant).
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      await me(`${header}.${payload}.${flipped}`).expect(401);
      await me(`${header}.${payload}.`).expect(401);
      await me(shop.access_token).expect(200);
    });

    it('rejects a token signed with another secret', async () => {
      const shop = await registerShop(app);
      const otherSecret = randomBytes(48).toString('base64url');
      await me(craftJwt({ alg: 'HS256', typ: 'JWT' }, liveClaims(shop.access_token), otherSecret)).expect(401);
    });

    it('rejects an expired token', async () => {
      const shop = await registerShop(app);
      const claims = { ...jwtClaims(shop.access_token), iat: now() - 1000, exp: now() - 100 };
      await me(craftJwt({ alg: 'HS256', typ: 'JWT' }, claims, TEST_JWT_SECRET)).expect(401);
    });

    it('rejects a token of another type, or with claims of the wrong shape', async () => {
      const shop = await registerShop(app);
      const claims = liveClaims(shop.access_token);
      const sign = (changed: Record<string, unknown>) => craftJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, ...changed }, TEST_JWT_SECRET);
      await me(sign({ type: 'refresh' })).expect(401);
      await me(sign({ type: undefined })).expect(401);
      await me(sign({ sub: shop.user_id })).expect(401);
      await me(sign({ sub: '99999999999' })).expect(401);
      await me(sign({ sid: 'not-a-uuid' })).expect(401);
      await me(sign({ sid: '00000000-0000-4000-8000-000000000000' })).expect(401);
      await me(sign({})).expect(200);
    });

    it('rejects the token of a deleted user', async () => {
      const shop = await registerShop(app);
      await db.query('DELETE FROM users WHERE id = $1', [shop.user_id]);
      await me(shop.access_token).expect(401);
      await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);
    });

    it("logout kills the family's access token", async () => {
      const shop = await registerShop(app);
      const refreshed = await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
      await me(shop.access_token).expect(200);
      await http().post('/api/auth/logout').send({ refresh_token: refreshed.body.refresh_token }).expect(204);
      // Both access tokens of the family, the first and the refreshed one, stop at once.
      await me(shop.access_token).expect(401);
      await me(refreshed.body.access_token).expect(401);
      await http().post('/api/auth/refresh').send({ refresh_token: refreshed.body.refresh_token }).expect(401);
    });

    it('answers 409 to a duplicate email in another case', async () => {
      const shop = await registerShop(app);
      const conflict = await http()
        .post('/api/auth/register')
        .send({ email: `  ${shop.email.toUpperCase()}  `, password: DEFAULT_PASSWORD })
        .expect(409);
      expect(conflict.body).toMatchObject({ statusCode: 409, message: 'This email is already registered' });
    });

    it('gives exactly one account to concurrent registrations of case variants of one email', async () => {
      const email = uniqueEmail('race');
      const variants = [email, email.toUpperCase(), ` ${email} `, email.replace(/^./, (c) => c.toUpperCase()), `${email.toUpperCase()} `];
      const responses = await Promise.all(
        variants.map((variant) => http().post('/api/auth/register').send({ email: variant, password: DEFAULT_PASSWORD })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const rows = await db.query('SELECT id FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(1);
    });

    it('answers 401 to register with a broken bearer, and creates nothing', async () => {
      const email = uniqueEmail('broken-bearer');
      const body = { email, password: DEFAULT_PASSWORD };
      const shop = await registerShop(app);
      const broken = [
        bearer('not-a-jwt'),
        bearer(`${shop.access_token}x`),
        bearer(craftJwt({ alg: 'none' }, liveClaims(shop.access_token))),
        { Authorization: 'Bearer' },
        { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { Authorization: '' },
      ];
      for (const headers of broken) {
        const response = await http().post('/api/auth/register').set(headers).send(body);
        expect({ headers, status: response.status }).toEqual({ headers, status: 401 });
      }
      expect(await db.query('SELECT id FROM users WHERE email = $1', [email])).toHaveLength(0);
      await http().post('/api/auth/register').send(body).expect(201);
    });

    it('answers 400 to a profile update with an unknown field or a negative rate', async () => {
      const shop = await registerShop(app);
      const put = (body: Record<string, unknown>) => http().put('/api/auth/profile').set(bearer(shop.access_token)).send(body);
      const unknown = await put({ shop_name: 'Iron Works', password_hash: 'x' }).expect(400);
      expect(unknown.body.message).toEqual(['property password_hash should not exist']);
      await put({ tier: 'enterprise' }).expect(400);
      await put({ rate_inshop: -0.01 }).expect(400);
      await put({ rate_onsite: -5 }).expect(400);
      const after = await me(shop.access_token).expect(200);
      expect(after.body).toMatchObject({ shop_name: null, tier: 'basic', rate_inshop: 125, rate_onsite: 145 });
    });

    it('gives an unknown email, a wrong password and a guest identical status and body', async () => {
      const shop = await registerShop(app);
      const guest = await createGuest(app);
      const attempts = await Promise.all(
        [
          { email: uniqueEmail('nobody'), password: DEFAULT_PASSWORD },
          { email: shop.email, password: `${DEFAULT_PASSWORD}!` },
          { email: String(guest.user.email), password: DEFAULT_PASSWORD },
          { email: String(guest.user.email), password: '!guest:no-password' },
        ].map((body) => http().post('/api/auth/login').send(body)),
      );
      for (const attempt of attempts) {
        expect(attempt.status).toBe(401);
        expect(attempt.body).toEqual({ statusCode: 401, message: 'Invalid email or password', error: 'Unauthorized' });
      }
    });

    it('answers 400 to a login with an unknown field before any credential is checked', async () => {
      const shop = await registerShop(app);
      for (const password of [shop.password, 'a wrong password']) {
        const response = await http().post('/api/auth/login').send({ email: shop.email, password, remember_me: true }).expect(400);
        expect(response.body.message).toEqual(['property remember_me should not exist']);
      }
      await http().post('/api/auth/login').send({ email: shop.email }).expect(400);
      // None of those counted as a failed login.
      for (let attempt = 1; attempt <= 10; attempt++)
        await http()
          .post('/api/auth/login')
          .send({ email: shop.email, password: `wrong ${attempt}` })
          .expect(401);
      await http().post('/api/auth/login').send({ email: shop.email, password: 'wrong 11' }).expect(429);
    });

    it('guest cannot log in', async () => {
      const guest = await createGuest(app);
      const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [guest.user_id]);
      for (const password of [row.password_hash, DEFAULT_PASSWORD, '']) {
        const response = await http().post('/api/auth/login').send({ email: guest.user.email, password });
        expect(response.status).toBe(password === '' ? 400 : 401);
      }
    });

    it('answers the 11th failed login with 429 and Retry-After', async () => {
      const shop = await registerShop(app);
      const login = (password: string) => http().post('/api/auth/login').send({ email: shop.email, password });
      for (let attempt = 1; attempt <= 10; attempt++) await login(`wrong password ${attempt}`).expect(401);

      const limited = await login('wrong password 11').expect(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 15 * 60).toBe(true);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      // The account is locked for the window, even for the right password; other accounts are not.
      await login(shop.password).expect(429);
      await http().post('/api/auth/login').send({ email: shop.email.toUpperCase(), password: shop.password }).expect(429);
      const other = await registerShop(app);
      await http().post('/api/auth/login').send({ email: other.email, password: other.password }).expect(200);
    });

    it('counts only failed logins against an account', async () => {
      const shop = await registerShop(app);
      const login = (password: string) => http().post('/api/auth/login').send({ email: shop.email, password });
      // 10 failures with 15 successes among them: successes neither count nor reset the count.
      for (let round = 0; round < 5; round++) {
        await login(shop.password).expect(200);
        await login(shop.password).expect(200);
        await login(shop.password).expect(200);
        await login('wrong password').expect(401);
        await login('wrong password').expect(401);
      }
      // Ten failures in the window: from now on every attempt is refused, the right password included.
      await login(shop.password).expect(429);
      await login('wrong password').expect(429);
    });

    it('concurrent refresh of one token gives exactly one 200', async () => {
      const shop = await registerShop(app);
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token })),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
      const winner = responses.find((response) => response.status === 200)!;
      // The losers were within the grace window: the family lives on.
      await me(winner.body.access_token).expect(200);
      await http().post('/api/auth/refresh').send({ refresh_token: winner.body.refresh_token }).expect(200);
      const [{ count }] = await db.query<{ count: string }>('SELECT count(*) FROM auth_tokens WHERE user_id = $1', [shop.user_id]);
      expect(Number(count)).toBe(3);
    });

    it('guest claim keeps the same user_id; a second claim with a taken email gives 409 and leaves the guest provisional', async () => {
      const first = await createGuest(app);
      const email = uniqueEmail('claim');
      const claimed = await http()
        .post('/api/auth/register')
        .set(bearer(first.access_token))
        .send({ email, password: DEFAULT_PASSWORD })
        .expect(200);
      expect(claimed.body.user_id).toBe(first.user_id);
      expect(claimed.body.user.is_provisional).toBe(false);

      const second = await createGuest(app);
      const [before] = await db.query('SELECT * FROM users WHERE id = $1', [second.user_id]);
      const conflict = await http()
        .post('/api/auth/register')
        .set(bearer(second.access_token))
        .send({ email: email.toUpperCase(), password: DEFAULT_PASSWORD })
        .expect(409);
      expect(conflict.body).toMatchObject({ statusCode: 409, message: 'This email is already registered' });
      const [after] = await db.query('SELECT * FROM users WHERE id = $1', [second.user_id]);
      expect(after).toEqual(before);
      // The guest's tokens still work: nothing was revoked.
      const stillGuest = await me(second.access_token).expect(200);
      expect(stillGuest.body.is_provisional).toBe(true);
      await http().post('/api/auth/refresh').send({ refresh_token: second.refresh_token }).expect(200);
    });

    it('no response body anywhere contains password_hash', async () => {
      const bodies: string[] = [];
      const keep = (response: request.Response) => {
        bodies.push(response.text ?? '');
        return response;
      };
      const email = uniqueEmail('leak');
      const registered = keep(await http().post('/api/auth/register').send({ email, password: DEFAULT_PASSWORD }));
      keep(await http().post('/api/auth/register').send({ email, password: DEFAULT_PASSWORD }));
      keep(await http().post('/api/auth/register').send({ email: 'bad', password: 'short' }));
      const login = keep(await http().post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }));
      keep(await http().post('/api/auth/login').send({ email, password: 'wrong password' }));
      keep(await http().post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD, tier: 'pro' }));
      const refreshed = keep(await http().post('/api/auth/refresh').send({ refresh_token: login.body.refresh_token }));
      keep(await http().post('/api/auth/refresh').send({ refresh_token: login.body.refresh_token }));
      keep(await me(refreshed.body.access_token));
      keep(await http().put('/api/auth/profile').set(bearer(refreshed.body.access_token)).send({ shop_name: 'Leak Test' }));
      keep(await http().put('/api/auth/profile').set(bearer(refreshed.body.access_token)).send({ rate_inshop: -1 }));
      const guest = keep(await http().post('/api/auth/guest'));
      keep(
        await http()
          .post('/api/auth/register')
          .set(bearer(guest.body.access_token))
          .send({ email: uniqueEmail('leak'), password: DEFAULT_PASSWORD }),
      );
      keep(await http().post('/api/auth/logout').send({ refresh_token: registered.body.refresh_token }));
      keep(await http().get('/api/docs/json'));
      expect(bodies.length).toBe(15);
      for (const body of bodies) {
        expect(body).not.toMatch(/password_?hash|passwordHash|token_?hash|tokenHash|\$argon2/i);
      }
    });
  });

  describe('with no grace window for superseded refresh tokens', () => {
    let app: NestFastifyApplication;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      app = await startTestApp(db.config({ JWT_REFRESH_GRACE_SECONDS: '0' }));
    });

    afterAll(async () => {
      await app?.close();
    });

    it('refresh reuse after the grace window revokes the family', async () => {
      const shop = await registerShop(app);
      const otherLogin = await http().post('/api/auth/login').send({ email: shop.email, password: shop.password }).expect(200);
      const rotated = await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
      await http().get('/api/auth/me').set(bearer(rotated.body.access_token)).expect(200);

      // The old token comes back (a stolen copy, say): 401, and the whole family is revoked.
      await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);
      await http().post('/api/auth/refresh').send({ refresh_token: rotated.body.refresh_token }).expect(401);
      await http().get('/api/auth/me').set(bearer(rotated.body.access_token)).expect(401);
      await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
      const family = jwtClaims(shop.access_token).sid;
      const [{ tokens, revoked }] = await db.query<{ tokens: number; revoked: boolean }>(
        `SELECT (SELECT count(*)::int FROM auth_tokens WHERE family_id = $1) AS tokens,
                (SELECT revoked_at IS NOT NULL FROM refresh_families WHERE id = $1) AS revoked`,
        [family],
      );
      expect({ tokens, revoked }).toEqual({ tokens: 2, revoked: true });

      // Another login of the same user is another family, untouched.
      await http().get('/api/auth/me').set(bearer(otherLogin.body.access_token)).expect(200);
      await http().post('/api/auth/refresh').send({ refresh_token: otherLogin.body.refresh_token }).expect(200);
    });
  });
});
