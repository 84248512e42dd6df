import { performance } from 'node:perf_hooks';

import { bearer, httpOf, type Target } from './auth';

/** The bound the guard's cache is held to: a change made anywhere is seen everywhere within it. */
export const CHANGE_SEEN_WITHIN_MS = 100;

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
 * Asks GET /api/auth/me with `token` back to back until `done` holds of the answer, for at most `boundMs`
 * after the call; how long it took. Fails at the bound.
 */
export async function meUntil(
  target: Target,
  token: string,
  done: (response: { status: number; body: Record<string, unknown> }) => boolean,
  boundMs = 10 * CHANGE_SEEN_WITHIN_MS,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await httpOf(target).get('/api/auth/me').set(bearer(token));
    const elapsed = performance.now() - started;
    if (done(response)) return elapsed;
    if (elapsed > boundMs) throw new Error(`GET /api/auth/me still answered ${response.status} after ${Math.round(elapsed)} ms`);
  }
}

/** GET /api/auth/me answers 200 with `token`, and the next one comes from the guard's memory. */
export async function warmUp(target: Target, token: string): Promise<void> {
  await httpOf(target).get('/api/auth/me').set(bearer(token)).expect(200);
  const hits = await cacheHits(target);
  await httpOf(target).get('/api/auth/me').set(bearer(token)).expect(200);
  if ((await cacheHits(target)) <= hits) throw new Error('the second GET /api/auth/me was not answered from memory');
}
