import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { User } from '../database/entities';
import { QuoteSessionsService } from '../quotes/quote-sessions.service';
import { normalizeEmail } from '../users/email';
import { toUserProfile } from '../users/user-profile.response';
import { UsersService } from '../users/users.service';
import { AccessTokensService } from './access-tokens.service';
import type { RegisterDto } from './dto/credentials.dto';
import type { TokenResponse } from './dto/token.response';
import { PASSWORD_MAX_LENGTH, PasswordsService } from './passwords.service';
import { RateLimitService, type UndoHit } from './rate-limit/rate-limit.service';
import { type IssuedRefreshToken, RefreshTokensService } from './refresh-tokens.service';

/** The one answer for an unknown email, a wrong password and a guest account alike. */
export const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly accessTokens: AccessTokensService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly quoteSessions: QuoteSessionsService,
    private readonly limits: RateLimitService,
  ) {}

  /** A new full account (201). */
  async register(dto: RegisterDto, ip: string): Promise<TokenResponse> {
    await this.limits.consume('registrationsPerIp', ip, 'Too many registrations from this address; try again later');
    const passwordHash = await this.passwords.hash(dto.password);
    const { user, refresh } = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.createAccount(dto.email, passwordHash, manager);
      return { user, refresh: await this.refreshTokens.startFamily(user.id, manager) };
    });
    return this.tokenResponse(user, refresh);
  }

  /**
   * Register called with a guest's access token (200): the SAME row becomes a full account, so its quotes and
   * sessions stay attached; the guest's earlier refresh families, and with them its access tokens, are revoked.
   * All in one transaction: on a taken email (409) the guest is left exactly as it was.
   */
  async claimGuest(guest: User, dto: RegisterDto, ip: string): Promise<TokenResponse> {
    if (!guest.isProvisional) throw new ConflictException('This account is already registered');
    await this.limits.consume('registrationsPerIp', ip, 'Too many registrations from this address; try again later');
    const passwordHash = await this.passwords.hash(dto.password);
    const { user, refresh } = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.claimGuest(guest.id, dto.email, passwordHash, manager);
      await this.refreshTokens.revokeAllOf(user.id, manager);
      return { user, refresh: await this.refreshTokens.startFamily(user.id, manager) };
    });
    return this.tokenResponse(user, refresh);
  }

  /**
   * The user whose email and password these are, for LocalStrategy. Every attempt counts against the account
   * and the client IP first (so concurrent guesses cannot overshoot the limits) and is taken back when it
   * succeeds: the limits count failures. Unknown emails, wrong passwords and guests get the same 401 after the
   * same amount of hashing.
   */
  async verifyCredentials(email: string, password: string, ip: string): Promise<User> {
    const account = normalizeEmail(email);
    const message = 'Too many failed logins; try again later';
    const undoIpHit = await this.limits.consume('loginFailuresPerIp', ip, message);
    let undoAccountHit: UndoHit;
    try {
      undoAccountHit = await this.limits.consume('loginFailuresPerAccount', account, message);
    } catch (error) {
      await undoIpHit();
      throw error;
    }
    const user = await this.users.findByEmail(account);
    const candidate = user && !user.isProvisional && password.length <= PASSWORD_MAX_LENGTH ? user : undefined;
    const verified = await this.passwords.verify(candidate?.passwordHash, password);
    if (!candidate || !verified) throw new UnauthorizedException(INVALID_CREDENTIALS);
    await Promise.all([undoIpHit(), undoAccountHit()]);
    return candidate;
  }

  /** A login of a verified user: a new refresh family. */
  async login(user: User): Promise<TokenResponse> {
    return this.tokenResponse(user, await this.refreshTokens.startFamily(user.id));
  }

  /** A provisional account with a quote session of its own (201). */
  async createGuest(ip: string): Promise<TokenResponse> {
    await this.limits.consume('guestsPerIp', ip, 'Too many guest accounts from this address; try again later');
    const { user, sessionId, refresh } = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.createGuest(manager);
      const session = await this.quoteSessions.create(user.id, null, manager);
      return { user, sessionId: session.id, refresh: await this.refreshTokens.startFamily(user.id, manager) };
    });
    return { ...this.tokenResponse(user, refresh), session_id: sessionId };
  }

  /** A new token pair for a live refresh token; 401 otherwise (see RefreshTokensService.rotate). */
  async refresh(presented: string, ip: string): Promise<TokenResponse> {
    await this.limits.consume('refreshesPerIp', ip);
    const refresh = await this.refreshTokens.rotate(presented);
    const user = refresh && (await this.users.findById(refresh.userId));
    if (!refresh || !user) throw new UnauthorizedException('Invalid refresh token');
    return this.tokenResponse(user, refresh);
  }

  /** Revokes the family of the token (its access tokens stop working at once); unknown tokens are fine too. */
  logout(presented: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(presented);
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
