import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';

import { QuotesModule } from '../quotes/quotes.module';
import { UsersModule } from '../users/users.module';
import { AccessTokensService, jwtKeyProvider, jwtServiceProvider } from './access-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthTokensRepository } from './auth-tokens.repository';
import { GuardCache } from './guard-cache';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { KnownLoginIpsRepository } from './known-login-ips.repository';
import { PasswordsService } from './passwords.service';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RefreshTokensService } from './refresh-tokens.service';
import { SessionLookup } from './session-lookup';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

@Module({
  imports: [PassportModule, UsersModule, QuotesModule, RateLimitModule],
  controllers: [AuthController],
  providers: [
    jwtKeyProvider,
    jwtServiceProvider,
    AccessTokensService,
    AuthService,
    AuthTokensRepository,
    GuardCache,
    JwtStrategy,
    KnownLoginIpsRepository,
    LocalStrategy,
    LocalAuthGuard,
    PasswordsService,
    RefreshTokensService,
    SessionLookup,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AuthService, PasswordsService, RefreshTokensService],
})
export class AuthModule {}
