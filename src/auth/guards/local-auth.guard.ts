import { BadRequestException, CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';

import type { User } from '../../database/entities';
import { INVALID_CREDENTIALS } from '../auth.service';
import { LoginDto } from '../dto/credentials.dto';
import { LocalStrategy } from '../strategies/local.strategy';
import { runStrategy } from '../strategies/run-strategy';

/** POST /api/auth/login: the credentials of the body, checked by LocalStrategy; the user is `request.user`. */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(private readonly strategy: LocalStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: User }>();
    // Guards run before the ValidationPipe, so the body is validated here first, with the same rules: a missing
    // credential or an unknown field is a 400 before any password is checked (and before any attempt counts).
    const errors = await validate(plainToInstance(LoginDto, request.body ?? {}), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new BadRequestException(errors.flatMap((error) => Object.values(error.constraints ?? {})));
    const user = await runStrategy<User>(this.strategy, request);
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    request.user = user;
    return true;
  }
}
