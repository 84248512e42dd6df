import { bearer, httpOf, type Target } from './auth';

/**
 * How long a test waits for a change to be seen: far inside the entries' lifetime (the tests set
 * AUTH_CACHE_SECONDS to an hour), so only a change that was heard ends an entry within it. How soon a change is
 * seen is measured in bench/ (revoked sessions let through by another instance).
 */
const CHANGE_SEEN_WITHIN_MS = 10_000;

/** The lifetime of the guard's cache entries in the tests: an hour. */
export const AUTH_CACHE_SECONDS = '3600';

export const METRICS_TOKEN = 'a-metrics-token-of-the-operator';

/** The value of one series of GET /api/metrics (0 when absent), e.g. `auth_guard_lookups_total{result="hit"}`. */
export async function metric(target: Target, series: string): Promise<number> {
  const { text } = await httpOf(target).get('/api/metrics').set(bearer(METRICS_TOKEN)).expect(200);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

export const cacheHits = (target: Target) => metric(target, 'auth_guard_lookups_total{result="hit"}');
export const listening = async (target: Target) => (await metric(target, 'row_changes_live')) === 1;

/**
 * Asks GET /api/auth/me with `token` back to back until `done` holds of the answer; fails when it still does not
 * after CHANGE_SEEN_WITHIN_MS.
 */
export async function meUntil(
  target: Target,
  token: string,
  done: (response: { status: number; body: Record<string, unknown> }) => boolean,
): Promise<void> {
  const deadline = Date.now() + CHANGE_SEEN_WITHIN_MS;
  for (;;) {
    const response = await httpOf(target).get('/api/auth/me').set(bearer(token));
    if (done(response)) return;
    if (Date.now() > deadline) throw new Error(`GET /api/auth/me still answered ${response.status} after ${CHANGE_SEEN_WITHIN_MS} ms`);
  }
}

/** GET /api/auth/me answers 200 with `token`, and the next one comes from the guard's memory. */
export async function warmUp(target: Target, token: string): Promise<void> {
  await httpOf(target).get('/api/auth/me').set(bearer(token)).expect(200);
  const hits = await cacheHits(target);
  await httpOf(target).get('/api/auth/me').set(bearer(token)).expect(200);
  if ((await cacheHits(target)) <= hits) throw new Error('the second GET /api/auth/me was not answered from memory');
}
