import { LISTENER_APPLICATION_NAME } from '../src/database/notifications/notification-listener';
import { bearer, httpOf, jwtClaims, registerShop } from './support/auth';
import { AUTH_CACHE_SECONDS, listening, METRICS_TOKEN, meUntil, warmUp } from './support/guard-cache';
import { pollUntil } from './support/poll';
import { type AppBehindProxy, openAppBehindProxy } from './support/tcp-proxy';

// The guard answers a session it has read from memory, for as long as it hears every change: its own at commit,
// every other through PostgreSQL's notifications on a connection of its own. The entries live an hour
// (AUTH_CACHE_SECONDS), so only a change that was heard can end one within the tests' wait.
describe("the guard's cache of sessions", () => {
  let setUp: AppBehindProxy;
  let url: string;

  beforeAll(async () => {
    setUp = await openAppBehindProxy({ METRICS_TOKEN, AUTH_CACHE_SECONDS });
    url = setUp.url;
    await pollUntil(() => listening(url));
  });

  afterAll(async () => {
    await setUp?.close();
  });

  it("answers a session's repeated requests from memory", async () => {
    const shop = await registerShop(url);
    await warmUp(url, shop.access_token);
  });

  it("sees this instance's own changes on the very next request", async () => {
    const shop = await registerShop(url);
    await warmUp(url, shop.access_token);
    await httpOf(url).put('/api/auth/profile').set(bearer(shop.access_token)).send({ shop_name: 'Renamed Iron' }).expect(200);
    const me = await httpOf(url).get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
    expect(me.body.shop_name).toBe('Renamed Iron');

    await httpOf(url).post('/api/auth/logout').send({ refresh_token: shop.refresh_token }).expect(204);
    await httpOf(url).get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
  });

  it('ends a session revoked by hand in SQL', async () => {
    const shop = await registerShop(url);
    await warmUp(url, shop.access_token);
    await setUp.db.query('UPDATE auth_tokens SET revoked_at = now() WHERE family_id = $1', [jwtClaims(shop.access_token).sid]);
    await meUntil(url, shop.access_token, ({ status }) => status === 401);
  });

  it('reads every session from the database while its listening connection is down, and listens again', async () => {
    const shop = await registerShop(url);
    await warmUp(url, shop.access_token);

    expect(setUp.proxy.cutConnectionsOf(LISTENER_APPLICATION_NAME)).toBe(1);
    // Nobody hears this revocation: only a guard that stopped trusting its memory honours it.
    await setUp.db.query('UPDATE refresh_families SET revoked_at = now() WHERE id = $1', [jwtClaims(shop.access_token).sid]);
    await meUntil(url, shop.access_token, ({ status }) => status === 401);

    await pollUntil(() => listening(url));
    const other = await registerShop(url);
    await warmUp(url, other.access_token);
  });

  it('stops answering from memory when its connection stalls without a word, and listens again after', async () => {
    setUp.proxy.stall();
    // A stalled connection tells nothing: the periodic probe (every 5 s, 2 s to answer) finds it.
    await pollUntil(async () => !(await listening(url)), 100, 100);
    setUp.proxy.resume();
    await pollUntil(() => listening(url), 100, 100);
  });
});
