import { bearer, createGuest, DEFAULT_PASSWORD, httpOf, jwtClaims, registerShop, type TokenResponse, uniqueEmail } from './support/auth';
import { CHANGE_SEEN_WITHIN_MS, listening, METRICS_TOKEN, meUntil, warmUp } from './support/guard-cache';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// Two servers on one database, as in production. Every way a session ends, or a user changes, is made on (or
// around) the first while the second holds that session in its memory; the second must see it within the bound.
// The entries live an hour (AUTH_CACHE_SECONDS), so nothing but the change being heard can explain it.
describe('a change made on one instance, on the guard of another', () => {
  let db: TestDatabase;
  let first: Server;
  let second: Server;
  const gone = ({ status }: { status: number }) => status === 401;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      METRICS_TOKEN,
      AUTH_CACHE_SECONDS: '3600',
      // A superseded token replayed at any later moment counts as a reuse: no grace window.
      JWT_REFRESH_GRACE_SECONDS: '0',
      RATE_LIMIT_REGISTER_IP: '100000/1h',
    };
    first = await startServer(db.env(env));
    second = await startServer(db.env({ ...env, MIGRATE_ON_START: 'false' }));
    await pollUntil(async () => (await listening(first.url)) && (await listening(second.url)));
  });

  afterAll(async () => {
    await stopServer(first);
    await stopServer(second);
    await db?.drop();
  });

  /** `change` is made while the second instance answers `token` from memory; how long until it answers `done`. */
  async function seenOnSecond(
    token: string,
    change: () => Promise<unknown>,
    done: (response: { status: number; body: Record<string, unknown> }) => boolean = gone,
  ): Promise<number> {
    await warmUp(second.url, token);
    await change();
    return meUntil(second.url, token, done);
  }

  it('logout', async () => {
    const shop = await registerShop(first.url);
    const delay = await seenOnSecond(shop.access_token, () =>
      httpOf(first.url).post('/api/auth/logout').send({ refresh_token: shop.refresh_token }).expect(204),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it('refresh-token reuse', async () => {
    const shop = await registerShop(first.url);
    const rotated = await httpOf(first.url).post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
    const delay = await seenOnSecond(rotated.body.access_token, () =>
      httpOf(first.url).post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it('a password change logs the other devices out', async () => {
    const shop = await registerShop(first.url);
    const otherDevice = await httpOf(first.url).post('/api/auth/login').send({ email: shop.email, password: shop.password }).expect(200);
    const delay = await seenOnSecond(otherDevice.body.access_token, () =>
      httpOf(first.url)
        .put('/api/auth/password')
        .set(bearer(shop.access_token))
        .send({ current_password: shop.password, new_password: `${DEFAULT_PASSWORD} changed` })
        .expect(204),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it("claiming a guest ends the guest's sessions", async () => {
    const guest: TokenResponse = await createGuest(first.url);
    const delay = await seenOnSecond(guest.access_token, () =>
      httpOf(first.url)
        .post('/api/auth/register')
        .set(bearer(guest.access_token))
        .send({ email: uniqueEmail(), password: DEFAULT_PASSWORD })
        .expect(200),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it('account deletion', async () => {
    const shop = await registerShop(first.url);
    const delay = await seenOnSecond(shop.access_token, () =>
      httpOf(first.url).delete('/api/auth/account').set(bearer(shop.access_token)).send({ password: shop.password }).expect(204),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it('a profile change', async () => {
    const shop = await registerShop(first.url);
    const delay = await seenOnSecond(
      shop.access_token,
      () => httpOf(first.url).put('/api/auth/profile').set(bearer(shop.access_token)).send({ shop_name: 'Second Forge' }).expect(200),
      ({ status, body }) => status === 200 && body.shop_name === 'Second Forge',
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });

  it('a revocation written by hand in SQL', async () => {
    const shop = await registerShop(first.url);
    const delay = await seenOnSecond(shop.access_token, () =>
      db.query('UPDATE auth_tokens SET revoked_at = now() WHERE family_id = $1', [jwtClaims(shop.access_token).sid]),
    );
    expect(delay).toBeLessThanOrEqual(CHANGE_SEEN_WITHIN_MS);
  });
});
