import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { ClientInfo } from '../auth/refresh-tokens.service';
import { isStorableText } from './json-values';

const USER_AGENT_MAX_LENGTH = 512;

/** Who is calling: the User-Agent header (cut to what is stored; dropped when it cannot be stored) and the client IP. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return {
    userAgent: typeof userAgent === 'string' && isStorableText(userAgent) ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
    ip: request.ip ?? null,
  };
});
