import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';

import { RequestValidationPipe } from '../../http/request-validation.pipe';
import { INVALID_CREDENTIALS } from '../auth.service';
import { LoginDto } from '../dto/credentials.dto';

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly validation = new RequestValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Guards run before the global pipe: a bad body is a 400 before any password is checked or attempt counted.
    await this.validation.transform(request.body ?? {}, { type: 'body', metatype: LoginDto });
    return super.canActivate(context) as Promise<boolean>;
  }

  /** A missing user is the same 401. */
  override handleRequest<TUser>(error: Error | null, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return user;
  }
}
