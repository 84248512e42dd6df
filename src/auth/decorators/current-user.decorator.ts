import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import type { User } from '../../database/entities';
import { SESSION_FAMILY } from '../strategies/jwt.strategy';

interface GuardedRequest {
  user: User;
  [SESSION_FAMILY]: string;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest<GuardedRequest>().user,
);

export const CurrentSessionId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<GuardedRequest>()[SESSION_FAMILY],
);
