import type { KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import type { User } from '../../database/entities';
import { POSTGRES_INT_MAX } from '../../database/postgres-limits';
import { type AccessTokenClaims, JWT_ALGORITHM, JWT_KEY } from '../access-tokens.service';
import { SessionLookup } from '../session-lookup';

export const SESSION_FAMILY = 'sessionFamilyId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far ahead of this server's clock a token's `iat` may be (another instance's clock). */
const CLOCK_SKEW_SECONDS = 60;

/** `exp` must lie within the configured lifetime of `iat`, so that no token outlives that lifetime. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly lifetimeSeconds: number;

  constructor(
    @Inject(JWT_KEY) key: KeyObject,
    private readonly sessions: SessionLookup,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken takes a KeyObject; passport-jwt's typings only name strings and Buffers.
      secretOrKey: key as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
    this.lifetimeSeconds = config.jwt.accessExpireMinutes * 60;
  }

  async validate(request: { [SESSION_FAMILY]?: string }, claims: Partial<AccessTokenClaims>): Promise<User | null> {
    if (claims.type !== 'access' || typeof claims.sub !== 'string' || !/^[1-9]\d{0,9}$/.test(claims.sub)) return null;
    if (!this.withinLifetime(claims)) return null;
    const userId = Number(claims.sub);
    if (userId > POSTGRES_INT_MAX || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return null;
    const user = await this.sessions.userOfLiveFamily(userId, claims.sid);
    if (user) request[SESSION_FAMILY] = claims.sid;
    return user;
  }

  private withinLifetime({ iat, exp }: Partial<AccessTokenClaims>): boolean {
    if (!Number.isFinite(iat) || !Number.isFinite(exp)) return false;
    return iat! <= Date.now() / 1000 + CLOCK_SKEW_SECONDS && exp! - iat! <= this.lifetimeSeconds;
  }
}
