import type { RateLimiter } from '../../src/auth/rate-limit/rate-limiter';

/** The clock a limiter counts by, as a test reads and moves it. */
export interface LimiterClock {
  now(): Promise<number>;
  /** Returns once the limiter's clock reads `at` or later. */
  reach(at: number): Promise<void>;
  close(): Promise<void>;
}

/** A clock of the test's own for the memory limiter: moving it is instant. */
export function manualClock(): LimiterClock & { read: () => number } {
  let time = Date.UTC(2026, 0, 1);
  return {
    read: () => time,
    now: async () => time,
    reach: async (at) => {
      time = Math.max(time, at);
    },
    close: async () => undefined,
  };
}

/** What every rate limiter must do, whatever keeps its counts. */
export const limiterContract = (makeClock: () => LimiterClock, makeLimiter: (clock: LimiterClock) => RateLimiter) => () => {
  let limiter: RateLimiter;
  let clock: LimiterClock;

  beforeEach(() => {
    clock = makeClock();
    limiter = makeLimiter(clock);
  });

  afterEach(async () => {
    await limiter.close();
    await clock.close();
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

  it('clears one key, or every key that starts with a prefix (glob characters taken as written)', async () => {
    const limit = { count: 1, windowSeconds: 60 };
    const keys = ['f:a*b 1', 'f:a*b 2', 'f:a*bc 1', 'f:a?b 1', 'f:a*', 'g:a*b 1'];
    for (const key of keys) expect((await limiter.hit(key, limit)).allowed).toBe(true);
    await limiter.clear({ prefix: 'f:a*b ' });
    await limiter.clear({ key: 'f:a*' });
    const allowedNow = await Promise.all(keys.map(async (key) => (await limiter.hit(key, limit)).allowed));
    expect(allowedNow).toEqual([true, true, false, false, true, false]);
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
    const limit = { count: 2, windowSeconds: 2 };
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    // The first event happened at this time or before it.
    const first = await clock.now();
    await clock.reach(first + 1000);
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    expect((await limiter.hit('s', limit)).allowed).toBe(false);
    // The first event has left its 2 s window; the second, a second younger, has not.
    await clock.reach(first + 2001);
    expect((await limiter.hit('s', limit)).allowed).toBe(true);
    expect((await limiter.hit('s', limit)).allowed).toBe(false);
  });
};
