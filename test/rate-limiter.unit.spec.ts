import { MemoryRateLimiter } from '../src/auth/rate-limit/memory-rate-limiter';
import { limiterContract, manualClock } from './support/rate-limiter-contract';

describe(
  'the rate limiter in memory',
  limiterContract(manualClock, (clock) => new MemoryRateLimiter((clock as ReturnType<typeof manualClock>).read)),
);
describe('MemoryRateLimiter', () => {
  it('sweeps keys whose events have all left the window', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter(clock.read);
    try {
      await limiter.hit('old', { count: 1, windowSeconds: 60 });
      await limiter.hit('recent', { count: 1, windowSeconds: 3600 });
      await clock.reach(clock.read() + 120_000);
      (limiter as unknown as { sweep(now: number): void }).sweep(clock.read());
      const logs = (limiter as unknown as { logs: Map<string, unknown> }).logs;
      expect([...logs.keys()]).toEqual(['recent']);
    } finally {
      await limiter.close();
    }
  });
});
