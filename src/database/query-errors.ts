import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** A statement the database received and refused, as opposed to one that never reached it. */
export function isFailedQuery(error: unknown): error is Error {
  return error instanceof QueryFailedError;
}

/** Was `error` the database refusing a row that `constraint` (a unique index) already holds? */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === UNIQUE_VIOLATION && driverError.constraint === constraint;
}
