import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

import { PublicBody } from '../../http/route-config';

export const IS_PUBLIC = 'isPublic';

/** In the OpenAPI document: the route needs no token (the document's default is the bearer scheme). */
export const ApiNoAuth = () => ApiSecurity({});

/**
 * Marks a route as reachable without an access token, for the guard, the body limit and the OpenAPI document
 * alike; every other route is guarded.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), PublicBody(), ApiNoAuth());
