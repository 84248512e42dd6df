import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

export function isFailedQuery(error: unknown): error is Error {
  return error instanceof QueryFailedError;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === UNIQUE_VIOLATION && driverError.constraint === constraint;
}

// Connection-class SQLSTATEs (08xxx), a statement cancelled by statement_timeout (57014), admin shutdown / cannot
// connect now (57P01-57P03), and the driver's own errors when it cannot reach the server.
const UNAVAILABLE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is not established/i;

// Duck-typed: socket errors come from Node's core, whose Error is not the one of Jest's VM context.
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM releases a query runner whose connection failed; the next query on it says so.
  if ((error as { name?: unknown }).name === 'QueryRunnerAlreadyReleasedError') return true;
  const { code, message, driverError } = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const anyCode = code ?? driverError?.code;
  return (
    (typeof anyCode === 'string' && UNAVAILABLE_CODES.has(anyCode)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message))
  );
}
