import { bearer, httpOf, registerShop } from './support/auth';
import { type Server, startServer, stopServer } from './support/processes';
import { describeWithRedis, REDIS_URL } from './support/redis';
import { createTestDatabase, type TestDatabase } from './support/test-database';

// DECISION: the shared counters need a real Redis on either database (CI starts one on loopback). Isolation from
// other runs comes from the keys: account counters are keyed by this file's unique emails, and the per-IP login
// limit, whose key (127.0.0.1) every run shares, is raised out of the way. The instances are two processes, as in
// production: nothing one of them holds in memory can answer for the other.
const FAILED_LOGINS_ALLOWED = 3;

describeWithRedis('two app instances on one database and one Redis', () => {
  let db: TestDatabase;
  let first: Server;
  let second: Server;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      REDIS_URL,
      // A superseded token replayed at any later moment counts as a reuse: no grace window.
      JWT_REFRESH_GRACE_SECONDS: '0',
      RATE_LIMIT_LOGIN_ACCOUNT: `${FAILED_LOGINS_ALLOWED}/15m`,
      RATE_LIMIT_LOGIN_IP: '100000/15m',
    };
    first = await startServer(db.env(env));
    // The first instance migrated the database; the second starts on it as a second server would.
    second = await startServer(db.env({ ...env, MIGRATE_ON_START: 'false' }));
  });

  afterAll(async () => {
    await stopServer(first);
    await stopServer(second);
    await db?.drop();
  });

  it('revokes the family when a token rotated on one instance is replayed on the other', async () => {
    const shop = await registerShop(first.url);
    const rotated = await httpOf(first.url).post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);

    await httpOf(second.url).post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(401);

    // The replay ended the whole family, on both instances: the token issued by the rotation and its access token.
    await httpOf(second.url).post('/api/auth/refresh').send({ refresh_token: rotated.body.refresh_token }).expect(401);
    for (const instance of [first, second]) {
      await httpOf(instance.url).get('/api/auth/me').set(bearer(rotated.body.access_token)).expect(401);
      await httpOf(instance.url).get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
    }
    const [family] = await db.query<{ live: number }>(
      'SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live FROM refresh_families WHERE user_id = $1',
      [shop.user_id],
    );
    expect(family.live).toBe(0);
  });

  it('counts failed logins of one account across both instances', async () => {
    const shop = await registerShop(first.url);
    const login = (instance: Server, password: string) =>
      httpOf(instance.url).post('/api/auth/login').send({ email: shop.email, password });

    // The failures alternate between the instances; each instance alone has seen fewer than the limit.
    for (let failure = 0; failure < FAILED_LOGINS_ALLOWED; failure++) {
      await login(failure % 2 === 0 ? first : second, 'a wrong password').expect(401);
    }

    for (const instance of [second, first]) {
      const refused = await login(instance, shop.password).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
