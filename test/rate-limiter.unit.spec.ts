import { MemoryRateLimiter } from '../src/auth/rate-limit/memory-rate-limiter';
import { limiterContract, manualClock } from './support/rate-limiter-contract';

describe(
  'the rate limiter in memory',
  limiterContract(manualClock, (clock) => new MemoryRateLimiter((clock as ReturnType<typeof manualClock>).read)),
);
