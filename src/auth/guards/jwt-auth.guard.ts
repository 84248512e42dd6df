import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { IS_PUBLIC } from '../../common/public.decorator';
import type { User } from '../../database/entities';
import { OPTIONAL_AUTH } from '../optional-auth.decorator';
import { JwtStrategy } from '../strategies/jwt.strategy';
import { runStrategy } from '../strategies/run-strategy';

/**
 * The global guard (APP_GUARD): every route needs a valid access token unless it is @Public(); an
 * @OptionalAuth() route needs one only when an Authorization header is sent. The user is `request.user`,
 * read by @CurrentUser().
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: JwtStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: User }>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets) && request.headers.authorization === undefined) {
      return true;
    }
    const user = await runStrategy<User>(this.strategy, request);
    if (!user) throw new UnauthorizedException('A valid access token is required');
    request.user = user;
    return true;
  }
}
