import { Passport, type Strategy } from 'passport';

/**
 * Strategies are registered here instead of on passport's process-wide singleton: there, the last application
 * created in a process (tests start several) would answer for every other one. @nestjs/passport's AuthGuard,
 * which reads the singleton, is therefore not used; the guards call their own instance through runStrategy.
 */
export const strategyRegistry = new Passport();

/**
 * Runs one passport strategy on a request, as passport.authenticate does (a per-request delegate with
 * success/fail/error), and resolves to the user, or to false when the strategy fails. Errors thrown by the
 * strategy's validate() (an HttpException such as a 429) reject.
 */
export function runStrategy<T>(strategy: Strategy, request: unknown): Promise<T | false> {
  return new Promise((resolve, reject) => {
    const attempt = Object.create(strategy) as StrategyAttempt<T>;
    attempt.success = (user) => resolve(user);
    attempt.fail = () => resolve(false);
    attempt.pass = () => resolve(false);
    // As the strategy raised it: a driver's error keeps the code that tells a database away from a bug.
    attempt.error = (error: Error) => reject(error);
    attempt.redirect = () => reject(new Error('Authentication strategies here never redirect'));
    attempt.authenticate(request, {});
  });
}

/** What passport adds to a strategy for one request; `authenticate` calls exactly one of these. */
interface StrategyAttempt<T> {
  authenticate(request: unknown, options: object): void;
  success(user: T): void;
  fail(): void;
  error(error: Error): void;
  pass(): void;
  redirect(): void;
}
