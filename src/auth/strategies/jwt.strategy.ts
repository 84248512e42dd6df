import type { KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import type { User } from '../../database/entities';
import { POSTGRES_INT_MAX } from '../../database/postgres-limits';
import { type AccessTokenClaims, JWT_ALGORITHM, JWT_KEY } from '../access-tokens.service';
import { SessionLookup } from '../session-lookup';

/** Where the guard leaves the refresh family of the request's access token. */
export const SESSION_FAMILY = 'sessionFamilyId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bearer access tokens: HS256 only, signature and expiry checked by jsonwebtoken, then the claims' shape, then
 * the user and the liveness of the token's refresh family in one query.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(JWT_KEY) key: KeyObject,
    private readonly sessions: SessionLookup,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken takes a KeyObject; passport-jwt's typings only name strings and Buffers.
      secretOrKey: key as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** The user, with the token's refresh family kept on the request (the caller's session). */
  async validate(request: { [SESSION_FAMILY]?: string }, claims: Partial<AccessTokenClaims>): Promise<User | null> {
    if (claims.type !== 'access' || typeof claims.sub !== 'string' || !/^[1-9]\d{0,9}$/.test(claims.sub)) return null;
    const userId = Number(claims.sub);
    if (userId > POSTGRES_INT_MAX || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return null;
    const user = await this.sessions.userOfLiveFamily(userId, claims.sid);
    if (user) request[SESSION_FAMILY] = claims.sid;
    return user;
  }
}
