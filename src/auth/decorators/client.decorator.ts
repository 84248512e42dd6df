import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { isStorableText } from '../../common/json-values';

const USER_AGENT_MAX_LENGTH = 512;

/** The client a family was used from, for the sessions list. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** Who is calling: the User-Agent header (cut to what is stored; dropped when it cannot be stored) and the client IP. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return {
    userAgent: typeof userAgent === 'string' && isStorableText(userAgent) ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
    ip: request.ip ?? null,
  };
});
