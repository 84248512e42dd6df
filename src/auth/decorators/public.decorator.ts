import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

import { PublicBody } from '../../http/route-config';

export const IS_PUBLIC = 'isPublic';

/** The document's default is the bearer scheme. */
export const ApiNoAuth = () => ApiSecurity({});

/** For the guard, the body limit and the OpenAPI document alike. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), PublicBody(), ApiNoAuth());
