import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import type { User } from '../../database/entities';
import { SESSION_FAMILY } from '../strategies/jwt.strategy';

/** What the global guard leaves on a request it let through. */
interface GuardedRequest {
  user: User;
  [SESSION_FAMILY]: string;
}

/** The user the global guard loaded for this request's access token. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest<GuardedRequest>().user,
);

/** The refresh family (session) of this request's access token. */
export const CurrentSessionId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<GuardedRequest>()[SESSION_FAMILY],
);
