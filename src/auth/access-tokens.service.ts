import { createSecretKey, type KeyObject } from 'node:crypto';

import { FactoryProvider, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';

/** `none` and every other algorithm are refused. */
export const JWT_ALGORITHM = 'HS256';

/** JWT_SECRET as a KeyObject: jsonwebtoken otherwise rebuilds one from the string on every sign and verify. */
export const JWT_KEY = Symbol('JWT_KEY');

export const jwtKeyProvider: FactoryProvider<KeyObject> = {
  provide: JWT_KEY,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
};

export const jwtServiceProvider: FactoryProvider<JwtService> = {
  provide: JwtService,
  inject: [JWT_KEY],
  useFactory: (key: KeyObject) =>
    new JwtService({ secret: key, signOptions: { algorithm: JWT_ALGORITHM }, verifyOptions: { algorithms: [JWT_ALGORITHM] } }),
};

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  type: 'access';
  iat: number;
  exp: number;
}

@Injectable()
export class AccessTokensService {
  readonly expiresInSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expiresInSeconds = config.jwt.accessExpireMinutes * 60;
  }

  /** It dies with the family (see JwtStrategy). */
  sign(userId: number, familyId: string): string {
    return this.jwt.sign({ sub: String(userId), sid: familyId, type: 'access' }, { expiresIn: this.expiresInSeconds });
  }
}
