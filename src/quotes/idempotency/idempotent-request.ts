import { createHash } from 'node:crypto';

import { applyDecorators, BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { stringify } from 'safe-stable-stringify';

import { ErrorResponse } from '../../common/error.response';

export interface IdempotentRequest {
  key: string;
  fingerprint: string;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** 1–255 visible ASCII characters, else 400. */
export const Idempotency = createParamDecorator((_data: unknown, context: ExecutionContext): IdempotentRequest | undefined => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key))
    throw new BadRequestException('Idempotency-Key must be one token of 1 to 255 visible ASCII characters');
  return { key, fingerprint: requestFingerprint(request.method, request.url, request.body) };
});

/** SHA-256 of the method, the URL and the body with its keys in one order (none counts as `{}`). */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${stringify(body ?? {})}`)
    .digest('hex');
}

/** `answers` are the operation's own 409 and 429, which a key's share. */
export const IdempotentOperation = (answers: { conflict?: string; tooMany?: string } = {}) =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A client token (up to 255 characters): the same key with the same request within 24 hours is answered the first answer again',
      schema: { type: 'string', maxLength: 255 },
    }),
    ApiUnprocessableEntityResponse({ type: ErrorResponse, description: 'The Idempotency-Key was used with another request' }),
    ApiConflictResponse({
      type: ErrorResponse,
      description: `${answers.conflict ? `${answers.conflict}, or a` : 'A'} request with the same Idempotency-Key is still being answered`,
    }),
    ApiTooManyRequestsResponse({
      type: ErrorResponse,
      description: `${answers.tooMany ? `${answers.tooMany}; or the` : 'The'} shop holds QUOTA_IDEMPOTENCY_KEYS_PER_DAY keys, or QUOTA_IDEMPOTENCY_BYTES_PER_DAY bytes of their answers; \`Retry-After\` says when it may again`,
    }),
  );
