import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiSecurity } from '@nestjs/swagger';

import { FILE_UPLOAD_ROUTE, MAPPING_DOCUMENT_ROUTE, PUBLIC_BODY_ROUTE } from '../http/http-hardening';

export const IS_PUBLIC = 'isPublic';

/** In the OpenAPI document: the route needs no token (the document's default is the bearer scheme). */
export const ApiNoAuth = () => ApiSecurity({});

/** A route anyone can reach takes only the small public body (PUBLIC_BODY_LIMIT_BYTES). */
export const PublicBody = () => RouteConfig({ [PUBLIC_BODY_ROUTE]: true });

/**
 * Marks a route as reachable without an access token, for the guard, the body limit and the OpenAPI document
 * alike; every other route is guarded.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), PublicBody(), ApiNoAuth());

/** The route takes files as multipart/form-data (every other route answers 415 to them). */
export const AcceptsFiles = () => RouteConfig({ [FILE_UPLOAD_ROUTE]: true });

/** The route takes a shop's whole mapping document, as many object members as its sections may hold. */
export const TakesMappingDocument = () => RouteConfig({ [MAPPING_DOCUMENT_ROUTE]: true });
