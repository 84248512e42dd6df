import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from '../database/entities';

/** The user the global guard loaded for this request's access token. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest().user,
);
