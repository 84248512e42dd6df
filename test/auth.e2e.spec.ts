import { createHash } from 'node:crypto';

import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, DEFAULT_PASSWORD, jwtClaims, registerShop, uniqueEmail } from './support/auth';
import { meUntil } from './support/guard-cache';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const PROFILE_FIELDS = [
  'id',
  'email',
  'is_provisional',
  'is_verified',
  'shop_name',
  'shop_address',
  'shop_phone',
  'shop_email',
  'logo_url',
  'rate_inshop',
  'rate_onsite',
  'markup_default',
  'currency',
  'tier',
  'created_at',
  'updated_at',
].sort();

const TOKEN_FIELDS = ['access_token', 'token_type', 'expires_in', 'refresh_token', 'user_id', 'user'].sort();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('accounts and auth', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // Many accounts from one address in this file: the per-IP limits have tests of their own.
    ({ db, app } = await openTestApp({ RATE_LIMIT_REGISTER_IP: '1000/1h', RATE_LIMIT_GUEST_IP: '1000/1h' }));
  });

  afterAll(() => closeTestApp(db, app));

  it('user table exists', async () => {
    const columns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users'`,
    );
    expect(columns.map((column) => column.column_name)).toEqual(
      expect.arrayContaining([
        'id',
        'email',
        'password_hash',
        'is_verified',
        'is_provisional',
        'shop_name',
        'rate_inshop',
        'rate_onsite',
        'markup_default',
        'tier',
        'created_at',
        'updated_at',
      ]),
    );
    const tokenColumns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'auth_tokens'`,
    );
    expect(tokenColumns.map((column) => column.column_name)).toEqual(
      expect.arrayContaining(['user_id', 'token_hash', 'family_id', 'expires_at', 'superseded_at', 'revoked_at']),
    );
  });

  it('jwt auth round trip', async () => {
    const email = uniqueEmail('roundtrip');
    const registered = await http().post('/api/auth/register').send({ email, password: DEFAULT_PASSWORD }).expect(201);
    expect(Object.keys(registered.body).sort()).toEqual(TOKEN_FIELDS);

    const login = await http().post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }).expect(200);
    expect(Object.keys(login.body).sort()).toEqual(TOKEN_FIELDS);
    expect(login.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user_id: registered.body.user_id });
    expect(login.body.refresh_token).not.toBe(registered.body.refresh_token);

    const me = await http().get('/api/auth/me').set(bearer(login.body.access_token)).expect(200);
    expect(Object.keys(me.body).sort()).toEqual(PROFILE_FIELDS);
    expect(me.body).toMatchObject({ id: registered.body.user_id, email, is_provisional: false, is_verified: false, tier: 'basic' });
    expect(me.body).toEqual(login.body.user);
    expect(me.body).toEqual(registered.body.user);

    const anonymous = await http().get('/api/auth/me').expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, message: 'A valid access token is required', error: 'Unauthorized' });
  });

  it('refresh token works', async () => {
    const shop = await registerShop(app);
    await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);

    // The server's clock moves 16 minutes on: the 15-minute access token has expired, the refresh token has not.
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 16 * 60_000);
    try {
      const expired = await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
      expect(expired.body.statusCode).toBe(401);

      const refreshed = await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
      expect(Object.keys(refreshed.body).sort()).toEqual(TOKEN_FIELDS);
      expect(refreshed.body.user_id).toBe(shop.user_id);
      expect(refreshed.body.refresh_token).not.toBe(shop.refresh_token);

      const me = await http().get('/api/auth/me').set(bearer(refreshed.body.access_token)).expect(200);
      expect(me.body.id).toBe(shop.user_id);
      // Same login, same family: the new access token names the same refresh family.
      expect(jwtClaims(refreshed.body.access_token).sid).toBe(jwtClaims(shop.access_token).sid);
    } finally {
      clock.mockRestore();
    }
  });

  it('issues access tokens with the claims sub, sid, type, iat and exp, signed HS256', async () => {
    const shop = await registerShop(app);
    const header = JSON.parse(Buffer.from(shop.access_token.split('.')[0], 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = jwtClaims(shop.access_token);
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'sid', 'sub', 'type']);
    expect(claims).toMatchObject({ sub: String(shop.user_id), type: 'access' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(15 * 60);
  });

  it('stores emails trimmed and lower-cased, and logs in with any case', async () => {
    const email = uniqueEmail('case');
    const shop = await registerShop(app, `  ${email.toUpperCase()} `);
    expect(shop.user.email).toBe(email);
    const [row] = await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [shop.user_id]);
    expect(row.email).toBe(email);
    await http()
      .post('/api/auth/login')
      .send({ email: ` ${email.toUpperCase()}`, password: DEFAULT_PASSWORD })
      .expect(200);
  });

  it('hashes passwords with argon2id (m=19456, t=2, p=1) and never truncates them', async () => {
    const password = 'p'.repeat(100);
    const shop = await registerShop(app, uniqueEmail('argon'), password);
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [shop.user_id]);
    const [, algorithm, , params] = row.password_hash.split('$');
    expect(algorithm).toBe('argon2id');
    expect(params.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    // A bcrypt-style 72-byte cut would let this in.
    await http()
      .post('/api/auth/login')
      .send({ email: shop.email, password: password.slice(0, 72) })
      .expect(401);
    await http().post('/api/auth/login').send({ email: shop.email, password }).expect(200);
  });

  it('answers 400 for a bad email, a password outside 8-128 characters or an unknown field', async () => {
    const register = (body: Record<string, unknown>) => http().post('/api/auth/register').send(body);
    const bad: [Record<string, unknown>, string[]][] = [
      [{ email: 'not-an-email', password: DEFAULT_PASSWORD }, ['email must hold exactly one @']],
      [{ email: uniqueEmail(), password: 'x'.repeat(7) }, ['password must be longer than or equal to 8 characters']],
      [{ email: uniqueEmail(), password: 'x'.repeat(129) }, ['password must be shorter than or equal to 128 characters']],
      [
        { email: uniqueEmail(), password: 12345678 },
        ['password must be longer than or equal to 8 and shorter than or equal to 128 characters', 'password must be a string'],
      ],
      [{ email: uniqueEmail() }, ['password must be longer than or equal to 8 characters', 'password must be a string']],
      [
        { password: DEFAULT_PASSWORD },
        ['email must be a string', 'email must be shorter than or equal to 254 characters', 'email must be an email address'],
      ],
      [{ email: uniqueEmail(), password: DEFAULT_PASSWORD, tier: 'enterprise' }, ['property tier should not exist']],
      [{ email: `someone@${'guest.invalid'}`, password: DEFAULT_PASSWORD }, ['email must not be under the reserved .invalid domain']],
    ];
    for (const [body, message] of bad) {
      const response = await register(body).expect(400);
      expect({ body, message: response.body.message }).toEqual({ body, message });
    }
    await register({ email: uniqueEmail(), password: 'x'.repeat(8) }).expect(201);
    await register({ email: uniqueEmail(), password: 'x'.repeat(128) }).expect(201);
  });

  it('keeps only the SHA-256 of refresh tokens, one family per login, ending 30 days after the login', async () => {
    const shop = await registerShop(app);
    const login = await http().post('/api/auth/login').send({ email: shop.email, password: shop.password }).expect(200);
    expect(Buffer.from(login.body.refresh_token, 'base64url').length).toBeGreaterThanOrEqual(16);

    const rows = await db.query<{ token_hash: string; family_id: string; days: number }>(
      `SELECT token_hash, family_id, extract(epoch FROM expires_at - created_at) / 86400 AS days
         FROM auth_tokens WHERE user_id = $1 ORDER BY id`,
      [shop.user_id],
    );
    expect(rows.map((row) => row.token_hash)).toEqual([sha256(shop.refresh_token), sha256(login.body.refresh_token)]);
    expect(rows[0].family_id).not.toBe(rows[1].family_id);
    expect(rows.map((row) => Math.round(Number(row.days)))).toEqual([30, 30]);
    const [{ matches }] = await db.query<{ matches: string }>('SELECT count(*) AS matches FROM auth_tokens WHERE token_hash IN ($1, $2)', [
      shop.refresh_token,
      login.body.refresh_token,
    ]);
    expect(Number(matches)).toBe(0);
  });

  it('rotates on every refresh without extending the family, and answers 401 to a token replayed within the grace window', async () => {
    const shop = await registerShop(app);
    const first = await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
    const second = await http().post('/api/auth/refresh').send({ refresh_token: first.body.refresh_token }).expect(200);

    const rows = await db.query<{
      id: number;
      expires_at: Date;
      superseded_at: Date | null;
      replaced_by: number | null;
      revoked_at: Date | null;
    }>('SELECT id, expires_at, superseded_at, replaced_by, revoked_at FROM auth_tokens WHERE user_id = $1 ORDER BY id', [shop.user_id]);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.expires_at.toISOString())).size).toBe(1);
    expect(rows[0].replaced_by).toBe(rows[1].id);
    expect(rows[1].replaced_by).toBe(rows[2].id);
    expect(rows[2].superseded_at).toBeNull();

    // A replay within JWT_REFRESH_GRACE_SECONDS (10 s here): 401, and the family lives on.
    await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);
    await http().get('/api/auth/me').set(bearer(second.body.access_token)).expect(200);
    await http().post('/api/auth/refresh').send({ refresh_token: second.body.refresh_token }).expect(200);
  });

  it('answers 401 to unknown and expired refresh tokens, and 400 to a refresh without a token', async () => {
    await http().post('/api/auth/refresh').send({ refresh_token: 'no-such-token' }).expect(401);
    const shop = await registerShop(app);
    await db.query(`UPDATE refresh_families SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [shop.user_id]);
    await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);
    await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
    await http().post('/api/auth/refresh').send({}).expect(400);
  });

  it('logs out: 204, the family is revoked, and an unknown token is a 204 too', async () => {
    const shop = await registerShop(app);
    const otherLogin = await http().post('/api/auth/login').send({ email: shop.email, password: shop.password }).expect(200);
    await http().post('/api/auth/logout').send({ refresh_token: shop.refresh_token }).expect(204);
    await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);
    await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
    // Another login of the same user is another family, untouched.
    await http().get('/api/auth/me').set(bearer(otherLogin.body.access_token)).expect(200);
    await http().post('/api/auth/logout').send({ refresh_token: 'never-issued' }).expect(204);
    await http().post('/api/auth/logout').send({}).expect(400);
  });

  it('keeps one row per refresh family, which the guard checks by primary key; revocations by hand in SQL count', async () => {
    const shop = await registerShop(app);
    const family = jwtClaims(shop.access_token).sid;
    const rotated = await http()
      .post('/api/auth/refresh')
      .set('User-Agent', 'the second device')
      .send({ refresh_token: shop.refresh_token })
      .expect(200);
    const [row] = await db.query<{ user_id: number; tokens: number; live: boolean; used_later: boolean; user_agent: string }>(
      `SELECT f.user_id, (SELECT count(*)::int FROM auth_tokens t WHERE t.family_id = f.id) AS tokens,
              f.revoked_at IS NULL AND f.expires_at > now() AS live, f.last_used_at > f.created_at AS used_later, f.user_agent
         FROM refresh_families f WHERE f.id = $1`,
      [family],
    );
    // The family records its latest use and client, for the sessions list.
    expect(row).toEqual({ user_id: shop.user_id, tokens: 2, live: true, used_later: true, user_agent: 'the second device' });

    // A token revoked by hand ends its family (a trigger carries it to the family row).
    await db.query('UPDATE auth_tokens SET revoked_at = now() WHERE family_id = $1', [family]);
    await http().get('/api/auth/me').set(bearer(rotated.body.access_token)).expect(401);

    // So does the family row revoked by hand: the access token and the refresh token both stop.
    const other = await http().post('/api/auth/login').send({ email: shop.email, password: shop.password }).expect(200);
    await http().get('/api/auth/me').set(bearer(other.body.access_token)).expect(200);
    await db.query('UPDATE refresh_families SET revoked_at = now() WHERE id = $1', [jwtClaims(other.body.access_token).sid]);
    // The guard may hold that session in memory: the database's notification of the change ends it there.
    await meUntil(app, other.body.access_token, ({ status }) => status === 401);
    await http().post('/api/auth/refresh').send({ refresh_token: other.body.refresh_token }).expect(401);
  });

  it('creates a guest: a provisional user under .invalid with a quote session of its own', async () => {
    const guest = await createGuest(app);
    expect(Object.keys(guest).sort()).toEqual([...TOKEN_FIELDS, 'session_id'].sort());
    expect(guest.user).toMatchObject({ id: guest.user_id, is_provisional: true });
    expect(guest.user.email).toMatch(/^guest-[0-9a-f-]{36}@guest\.invalid$/);
    const [session] = await db.query<{ user_id: number; stage: string; status: string }>(
      'SELECT user_id, stage, status FROM quote_sessions WHERE id = $1',
      [guest.session_id],
    );
    expect(session).toEqual({ user_id: guest.user_id, stage: 'intake', status: 'active' });
    const me = await http().get('/api/auth/me').set(bearer(guest.access_token)).expect(200);
    expect(me.body).toEqual(guest.user);
    await http().post('/api/auth/guest').send({ anything: 1 }).expect(400);
  });

  it("claims a guest's account in place and revokes the guest's tokens", async () => {
    const guest = await createGuest(app);
    const email = uniqueEmail('claimed');
    const claimed = await http()
      .post('/api/auth/register')
      .set(bearer(guest.access_token))
      .send({ email: email.toUpperCase(), password: DEFAULT_PASSWORD })
      .expect(200);
    expect(claimed.body.user_id).toBe(guest.user_id);
    expect(claimed.body.user).toMatchObject({ id: guest.user_id, email, is_provisional: false });

    const [session] = await db.query<{ user_id: number }>('SELECT user_id FROM quote_sessions WHERE id = $1', [guest.session_id]);
    expect(session.user_id).toBe(guest.user_id);
    await http().post('/api/auth/refresh').send({ refresh_token: guest.refresh_token }).expect(401);
    await http().get('/api/auth/me').set(bearer(guest.access_token)).expect(401);
    await http().get('/api/auth/me').set(bearer(claimed.body.access_token)).expect(200);
    await http().post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }).expect(200);

    // A full account's token does not make register claim anything.
    await http()
      .post('/api/auth/register')
      .set(bearer(claimed.body.access_token))
      .send({ email: uniqueEmail(), password: DEFAULT_PASSWORD })
      .expect(409);
  });

  it('updates the profile partially', async () => {
    const shop = await registerShop(app);
    const update = (body: Record<string, unknown>) => http().put('/api/auth/profile').set(bearer(shop.access_token)).send(body);

    const first = await update({
      shop_name: 'Iron Works',
      rate_inshop: 130.5,
      markup_default: 20,
      shop_email: ' Office@Iron.Works ',
    }).expect(200);
    expect(Object.keys(first.body).sort()).toEqual(PROFILE_FIELDS);
    expect(first.body).toMatchObject({
      shop_name: 'Iron Works',
      rate_inshop: 130.5,
      rate_onsite: 145,
      markup_default: 20,
      shop_email: 'office@iron.works',
    });

    const second = await update({ logo_url: 'https://iron.works/logo.png', shop_phone: '555-0100', rate_onsite: 0 }).expect(200);
    expect(second.body).toMatchObject({
      shop_name: 'Iron Works',
      logo_url: 'https://iron.works/logo.png',
      shop_phone: '555-0100',
      rate_onsite: 0,
      rate_inshop: 130.5,
    });

    const cleared = await update({ shop_name: null }).expect(200);
    expect(cleared.body.shop_name).toBeNull();
    const unchanged = await update({}).expect(200);
    expect(unchanged.body).toMatchObject({ rate_inshop: 130.5, markup_default: 20 });

    const me = await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
    expect(me.body).toEqual(unchanged.body);
    await http().put('/api/auth/profile').send({ shop_name: 'x' }).expect(401);
  });

  it('refuses profile values out of range and fields that are not profile fields', async () => {
    const shop = await registerShop(app);
    const bad = [
      { rate_inshop: -1 },
      { rate_onsite: 10000.01 },
      { rate_inshop: '100' },
      { rate_inshop: null },
      { markup_default: 15.5 },
      { markup_default: 101 },
      { markup_default: -1 },
      { shop_email: 'not-an-email' },
      { logo_url: 'http://iron.works/logo.png' },
      { logo_url: '/logo.png' },
      { shop_name: 'x'.repeat(201) },
      { email: 'new@example.com' },
      { password: 'new password 123' },
      { tier: 'enterprise' },
      { is_provisional: false },
      { is_verified: true },
      { id: 1 },
    ];
    for (const body of bad) {
      const response = await http().put('/api/auth/profile').set(bearer(shop.access_token)).send(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    const me = await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
    expect(me.body).toMatchObject({ rate_inshop: 125, rate_onsite: 145, markup_default: 15, tier: 'basic', email: shop.email });
  });
});
