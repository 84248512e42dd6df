import { bearer, httpOf, jwtClaims, registerShop } from './support/auth';
import { AUTH_CACHE_SECONDS, listening, METRICS_TOKEN, meUntil, warmUp } from './support/guard-cache';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// Two servers on one database, as in production. A session ends, or a user changes, on (or around) the first while
// the second holds that session in its memory; the second must see it. The entries live an hour
// (AUTH_CACHE_SECONDS), so nothing but the change being heard can explain it.
describe('a change made on one instance, on the guard of another', () => {
  let db: TestDatabase;
  let first: Server;
  let second: Server;
  const gone = ({ status }: { status: number }) => status === 401;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      METRICS_TOKEN,
      AUTH_CACHE_SECONDS,
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

  /** `change` is made while the second instance answers `token` from memory; the second then answers `done`. */
  async function seenOnSecond(
    token: string,
    change: () => Promise<unknown>,
    done: (response: { status: number; body: Record<string, unknown> }) => boolean = gone,
  ): Promise<void> {
    await warmUp(second.url, token);
    await change();
    await meUntil(second.url, token, done);
  }

  // One case per trigger that announces a change (src/migrations/*RowChangeNotifications, *RefreshFamilies): a
  // session ended through the app (a logout, like every other way the app revokes a family), a user changed, a user
  // deleted, and a token revoked by hand in SQL.
  it('logout', async () => {
    const shop = await registerShop(first.url);
    await seenOnSecond(shop.access_token, () =>
      httpOf(first.url).post('/api/auth/logout').send({ refresh_token: shop.refresh_token }).expect(204),
    );
  });

  it('a profile change', async () => {
    const shop = await registerShop(first.url);
    await seenOnSecond(
      shop.access_token,
      () => httpOf(first.url).put('/api/auth/profile').set(bearer(shop.access_token)).send({ shop_name: 'Second Forge' }).expect(200),
      ({ status, body }) => status === 200 && body.shop_name === 'Second Forge',
    );
  });

  it('account deletion', async () => {
    const shop = await registerShop(first.url);
    await seenOnSecond(shop.access_token, () =>
      httpOf(first.url).delete('/api/auth/account').set(bearer(shop.access_token)).send({ password: shop.password }).expect(204),
    );
  });

  it('a revocation written by hand in SQL', async () => {
    const shop = await registerShop(first.url);
    await seenOnSecond(shop.access_token, () =>
      db.query('UPDATE auth_tokens SET revoked_at = now() WHERE family_id = $1', [jwtClaims(shop.access_token).sid]),
    );
  });
});
