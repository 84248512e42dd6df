import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';

import { isDatabaseUnavailable, isFailedQuery } from '../database/query-errors';

const RETRY_AFTER_SECONDS = 5;

/** A database away is a 503 so clients retry; any other failed query is a 500 logged without its parameters. */
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
