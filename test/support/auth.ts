import { createHmac, randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

/** The token response of api.md (register, login, guest, refresh). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  user_id: number;
  user: Record<string, unknown>;
  session_id?: string;
}

export const DEFAULT_PASSWORD = 'correct horse battery staple';

let emailCounter = 0;

/** An address no other test (file, run or process) uses: lower-case, as the server stores it. */
export function uniqueEmail(prefix = 'shop'): string {
  emailCounter += 1;
  return `${prefix}-${process.pid}-${emailCounter}-${randomBytes(4).toString('hex')}@example.com`.toLowerCase();
}

/** An app in this process, or the URL of a spawned server. */
export type Target = NestFastifyApplication | string;

/** supertest on `target`. */
export function httpOf(target: Target) {
  return request(typeof target === 'string' ? target : target.getHttpServer());
}

/** A new full account through POST /api/auth/register (expects 201). */
export async function registerShop(
  app: Target,
  email: string = uniqueEmail(),
  password: string = DEFAULT_PASSWORD,
): Promise<TokenResponse & { email: string; password: string }> {
  const response = await httpOf(app).post('/api/auth/register').send({ email, password });
  expectStatus(response, 201, `register ${email}`);
  return { ...(response.body as TokenResponse), email, password };
}

/** A guest account with its quote session through POST /api/auth/guest (expects 201). */
export async function createGuest(app: Target): Promise<TokenResponse> {
  const response = await httpOf(app).post('/api/auth/guest');
  expectStatus(response, 201, 'guest');
  return response.body as TokenResponse;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

const HMAC_DIGESTS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * A JWT made by hand, for tests of what the server must refuse: any header (`alg: none` included) and claims,
 * signed with HMAC by `secret` using the digest of `header.alg` (HS256/384/512), unsigned when `secret` is
 * undefined.
 */
export function craftJwt(header: { alg: string; [name: string]: unknown }, claims: Record<string, unknown>, secret?: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  if (secret === undefined) return `${unsigned}.`;
  const digest = HMAC_DIGESTS[header.alg];
  if (!digest) throw new Error(`craftJwt signs with HS256, HS384 or HS512, not ${header.alg}`);
  return `${unsigned}.${createHmac(digest, secret).update(unsigned).digest('base64url')}`;
}

/** The claims of a JWT, read without verifying it. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function expectStatus(response: request.Response, status: number, what: string): void {
  if (response.status === status) return;
  const hint = response.status === 429 ? " (a per-IP rate limit: raise RATE_LIMIT_*_IP in this test file's config)" : '';
  throw new Error(`${what}: expected ${status}, got ${response.status}${hint}: ${response.text}`);
}
