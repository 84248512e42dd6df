import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { RateLimitedException } from './rate-limited.exception';

@Catch(RateLimitedException)
export class RateLimitedFilter implements ExceptionFilter {
  catch(exception: RateLimitedException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Retry-After', String(exception.retryAfterSeconds))
      .status(exception.getStatus())
      .send(exception.getResponse());
  }
}
