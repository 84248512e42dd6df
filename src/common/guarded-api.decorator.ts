import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { ErrorResponse } from './error.response';

export const GuardedApi = (tag: string) =>
  applyDecorators(ApiTags(tag), ApiBearerAuth(), ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid access token' }));
