import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { type RateLimitName, RateLimitService } from './rate-limit.service';

const RATE_LIMITED_BY = 'rateLimitedBy';

interface RateLimitedRoute {
  name: RateLimitName;
  message?: string;
}

/** Counted against the client IP before the body is validated. */
export const RateLimitedBy = (name: RateLimitName, message?: string) =>
  SetMetadata(RATE_LIMITED_BY, { name, message } satisfies RateLimitedRoute);

/** Guards run before pipes, so a client over its limit is refused before any validation or hashing. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<RateLimitedRoute | undefined>(RATE_LIMITED_BY, context.getHandler());
    if (route) await this.limits.consume(route.name, context.switchToHttp().getRequest<FastifyRequest>().ip, route.message);
    return true;
  }
}
