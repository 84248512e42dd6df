import { BadRequestException, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';

import { INVALID_CREDENTIALS } from '../auth.service';
import { LoginDto } from '../dto/credentials.dto';

/** POST /api/auth/login: the credentials of the body, checked by LocalStrategy; the user is `request.user`. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Guards run before the ValidationPipe, so the body is validated here first, with the same rules: a missing
    // credential or an unknown field is a 400 before any password is checked (and before any attempt counts).
    const errors = await validate(plainToInstance(LoginDto, request.body ?? {}), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new BadRequestException(errors.flatMap((error) => Object.values(error.constraints ?? {})));
    return super.canActivate(context) as Promise<boolean>;
  }

  /** LocalStrategy throws its own 401 or 429; a missing user is the same 401. */
  override handleRequest<TUser>(error: Error | null, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return user;
  }
}
