import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { ErrorResponse } from './error.response';

/** In the OpenAPI document: a controller of guarded routes under `tag`, each answering 401 without a valid token. */
export const GuardedApi = (tag: string) =>
  applyDecorators(ApiTags(tag), ApiBearerAuth(), ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid access token' }));
