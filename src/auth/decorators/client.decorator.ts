import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { isStorableText } from '../../common/json-values';

const USER_AGENT_MAX_LENGTH = 512;

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** The User-Agent is cut to what is stored, and dropped when it cannot be stored. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return {
    userAgent: typeof userAgent === 'string' && isStorableText(userAgent) ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
    ip: request.ip ?? null,
  };
});
