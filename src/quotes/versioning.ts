import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse, ApiPreconditionRequiredResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

import { ErrorResponse } from '../common/error.response';

/** Undefined without the header. */
export type IfMatch = '*' | number[] | undefined;

/** `"3"`, `W/"3"` and a bare 3 name version 3; a tag that names no version matches none. */
export const IfMatchHeader = createParamDecorator((_data: unknown, context: ExecutionContext): IfMatch => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((tag) => /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(tag)?.[1])
    .filter((version) => version !== undefined)
    .map(Number);
});

export const entityTag = (version: number) => `"${version}"`;

export function enforceIfMatch(ifMatch: IfMatch, current: number, required: boolean, what: string): void {
  if (ifMatch === undefined) {
    if (required)
      throw new HttpException(
        { statusCode: 428, message: `If-Match with the ${what}'s version is required`, error: 'Precondition Required' },
        HttpStatus.PRECONDITION_REQUIRED,
      );
    return;
  }
  if (ifMatch === '*' || ifMatch.includes(current)) return;
  throw new HttpException(
    {
      statusCode: 412,
      message: `The ${what} has changed: it is at version ${current}; read it again and retry with If-Match: ${entityTag(current)}`,
      error: 'Precondition Failed',
      version: current,
    },
    HttpStatus.PRECONDITION_FAILED,
  );
}

@Injectable()
export class VersionETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version === 'number') void reply.header('ETag', entityTag(version));
        return body;
      }),
    );
  }
}

export const VersionedWrite = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag of the version the change is made from; required when the server runs with REQUIRE_IF_MATCH=true',
    }),
    ApiPreconditionFailedResponse({
      type: ErrorResponse,
      description: 'If-Match names another version than the current one; the body holds the current one as `version` too',
    }),
    ApiPreconditionRequiredResponse({ type: ErrorResponse, description: 'If-Match is missing and REQUIRE_IF_MATCH=true' }),
  );
