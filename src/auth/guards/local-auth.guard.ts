import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';

import { RequestValidationPipe } from '../../http/request-validation.pipe';
import { INVALID_CREDENTIALS } from '../auth.service';
import { LoginDto } from '../dto/credentials.dto';

/** POST /api/auth/login: the credentials of the body, checked by LocalStrategy; the user is `request.user`. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly validation = new RequestValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Guards run before the global pipe, so the body goes through the same pipe here first: a missing credential or
    // an unknown field is a 400 before any password is checked (and before any attempt counts).
    await this.validation.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    return super.canActivate(context) as Promise<boolean>;
  }

  /** LocalStrategy throws its own 401 or 429; a missing user is the same 401. */
  override handleRequest<TUser>(error: Error | null, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return user;
  }
}
