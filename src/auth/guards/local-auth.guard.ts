import { BadRequestException, CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { User } from '../../database/entities';
import { INVALID_CREDENTIALS } from '../auth.service';
import { LocalStrategy } from '../strategies/local.strategy';
import { runStrategy } from '../strategies/run-strategy';

/** POST /api/auth/login: the credentials of the body, checked by LocalStrategy; the user is `request.user`. */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(private readonly strategy: LocalStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: User }>();
    // Guards run before the ValidationPipe; passport-local would also take credentials from the query string.
    const body = (request.body ?? {}) as { email?: unknown; password?: unknown };
    const problems = (['email', 'password'] as const)
      .filter((field) => typeof body[field] !== 'string' || body[field] === '')
      .map((field) => `${field} should be a non-empty string`);
    if (problems.length > 0) throw new BadRequestException(problems);
    const user = await runStrategy<User>(this.strategy, request);
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    request.user = user;
    return true;
  }
}
