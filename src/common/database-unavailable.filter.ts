import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';

import { isFailedQuery } from '../database/query-errors';

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
/** How long a client is told to wait before it tries again. */
const RETRY_AFTER_SECONDS = 5;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is not established/i;

// Duck-typed rather than `instanceof Error`: socket errors are made by Node's core, whose Error is not the one of
// a VM context that runs the app (Jest's), and such an error must still read as "database away".
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

/**
 * A database that is away answers 503 at once, so clients retry instead of reading a 500 as a bug. Any other
 * failed query is a 500 whose log line names the error but never the query's parameters (emails, hashes, tokens).
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DatabaseUnavailableFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (isFailedQuery(exception) && !isDatabaseUnavailable(exception)) {
      this.logger.error(`Query failed: ${exception.message}`, exception.stack);
      host
        .switchToHttp()
        .getResponse<FastifyReply>()
        .status(HttpStatus.INTERNAL_SERVER_ERROR)
        .send({ statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' });
      return;
    }
    if (!isDatabaseUnavailable(exception)) return super.catch(exception, host);
    this.logger.warn(`Database unavailable: ${(exception as { message: string }).message}`);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS)).status(HttpStatus.SERVICE_UNAVAILABLE).send({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'The database is unavailable; try again shortly',
      error: 'Service Unavailable',
    });
  }
}
