import { BadRequestException, ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';

import { RateLimitedException } from '../common/rate-limited.exception';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { User } from '../database/entities';
import { MetricsService } from '../metrics/metrics.service';
import { QuoteSessionsService } from '../quotes/quote-sessions.service';
import { hasInvisibleCharacters, normalizeEmail } from '../users/email';
import { toUserProfile } from '../users/user-profile.response';
import { EMAIL_TAKEN, UsersService } from '../users/users.service';
import { AccessTokensService } from './access-tokens.service';
import type { ClientInfo } from './decorators/client.decorator';
import type { RegisterDto } from './dto/credentials.dto';
import type { TokenResponse } from './dto/token.response';
import { KnownLoginIpsRepository } from './known-login-ips.repository';
import { PASSWORD_MAX_LENGTH, PasswordsService } from './passwords.service';
import { RateLimitService, type UndoHit } from './rate-limit/rate-limit.service';
import { type IssuedRefreshToken, RefreshTokensService } from './refresh-tokens.service';

/** One answer for an unknown email, a wrong password and a guest account alike. */
export const INVALID_CREDENTIALS = 'Invalid email or password';
export const WRONG_PASSWORD = 'The password is wrong';

@Injectable()
export class AuthService {
  constructor(
    private readonly database: DatabaseService,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly accessTokens: AccessTokensService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly quoteSessions: QuoteSessionsService,
    private readonly limits: RateLimitService,
    private readonly knownLoginIps: KnownLoginIpsRepository,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto, client: ClientInfo): Promise<TokenResponse> {
    await this.refuseInvisibleCharacters(dto.email);
    const passwordHash = await this.passwords.hash(dto.password);
    const { user, refresh } = await this.database.transaction(async (sql) => {
      const user = await this.users.createAccount(sql, dto.email, passwordHash);
      return { user, refresh: await this.refreshTokens.startFamily(sql, user.id, client) };
    });
    return this.tokenResponse(user, refresh);
  }

  /** The SAME row becomes a full account, in one transaction: on a taken email (409) the guest is left as it was. */
  async claimGuest(guest: User, dto: RegisterDto, client: ClientInfo): Promise<TokenResponse> {
    if (!guest.isProvisional) throw new ConflictException('This account is already registered');
    await this.refuseInvisibleCharacters(dto.email);
    const passwordHash = await this.passwords.hash(dto.password);
    const { user, refresh } = await this.database.transaction(async (sql) => {
      const user = await this.users.claimGuest(sql, guest.id, dto.email, passwordHash);
      await this.refreshTokens.revokeAllOf(sql, user.id);
      return { user, refresh: await this.refreshTokens.startFamily(sql, user.id, client) };
    });
    return this.tokenResponse(user, refresh);
  }

  /**
   * Every attempt counts first (so concurrent guesses cannot overshoot) and is taken back when it succeeds. Past the
   * account-wide ceiling only an IP that logged in lately may still try, so knowing the email cannot keep the owner
   * out. Unknown emails, wrong passwords and guests get the same 401 after the same amount of hashing.
   */
  async verifyCredentials(email: string, password: string, ip: string, wrongAnswer = INVALID_CREDENTIALS): Promise<User> {
    const account = normalizeEmail(email);
    const message = 'Too many failed logins; try again later';
    const user = await this.users.findByEmail(account);
    const undoHits: UndoHit[] = [];
    try {
      undoHits.push(await this.limits.consume('loginFailuresPerIp', ip, message));
      undoHits.push(await this.limits.consume('loginFailuresPerAccountIp', `${account} ${ip}`, message));
      undoHits.push(
        await this.limits
          .consume('loginFailuresPerAccount', account, message)
          .catch((error: unknown) => this.letKnownIpThrough(error, user, ip)),
      );
    } catch (error) {
      await Promise.all(undoHits.map((undo) => undo()));
      throw error;
    }
    const candidate = user && !user.isProvisional && password.length <= PASSWORD_MAX_LENGTH ? user : undefined;
    const verified = await this.passwords.verify(candidate?.passwordHash, password);
    if (!candidate || !verified) {
      this.metrics.failedLogins.inc();
      throw new UnauthorizedException(wrongAnswer);
    }
    await Promise.all([
      ...undoHits.map((undo) => undo()),
      this.knownLoginIps.recordLogin(this.database.pool, candidate.id, ip, this.config.knownLoginIpDays),
    ]);
    return candidate;
  }

  async clearFailedLogins(email: string): Promise<void> {
    const account = normalizeEmail(email);
    await this.limits.clear('loginFailuresPerAccount', { subject: account });
    await this.limits.clear('loginFailuresPerAccountIp', { subjectPrefix: `${account} ` });
  }

  private async letKnownIpThrough(error: unknown, user: User | null, ip: string): Promise<UndoHit> {
    if (
      !(error instanceof RateLimitedException) ||
      !user ||
      !(await this.knownLoginIps.isKnown(this.database.pool, user.id, ip, this.config.knownLoginIpDays))
    )
      throw error;
    return async () => undefined;
  }

  async login(user: User, client: ClientInfo): Promise<TokenResponse> {
    return this.tokenResponse(user, await this.refreshTokens.startFamily(this.database.pool, user.id, client));
  }

  async createGuest(client: ClientInfo): Promise<TokenResponse> {
    const { user, sessionId, refresh } = await this.database.transaction(async (sql) => {
      const user = await this.users.createGuest(sql);
      const session = await this.quoteSessions.create(sql, user.id, null);
      return { user, sessionId: session.id, refresh: await this.refreshTokens.startFamily(sql, user.id, client) };
    });
    return { ...this.tokenResponse(user, refresh), session_id: sessionId };
  }

  async refresh(presented: string, client: ClientInfo): Promise<TokenResponse> {
    const refresh = await this.refreshTokens.rotate(presented, client);
    const user = refresh && (await this.users.findById(refresh.userId));
    if (!refresh || !user) throw new UnauthorizedException('Invalid refresh token');
    return this.tokenResponse(user, refresh);
  }

  logout(presented: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(presented);
  }

  // An address with invisible characters is the account it looks like (409) or refused (400), never shadows one.
  private async refuseInvisibleCharacters(email: string): Promise<void> {
    if (!hasInvisibleCharacters(email)) return;
    if (await this.users.findByEmail(email)) throw new ConflictException(EMAIL_TAKEN);
    throw new BadRequestException(['email holds an invisible character (zero-width, soft hyphen or direction mark)']);
  }

  private tokenResponse(user: User, refresh: IssuedRefreshToken): TokenResponse {
    return {
      access_token: this.accessTokens.sign(user.id, refresh.familyId),
      token_type: 'Bearer',
      expires_in: this.accessTokens.expiresInSeconds,
      refresh_token: refresh.token,
      user_id: user.id,
      user: toUserProfile(user),
    };
  }
}
