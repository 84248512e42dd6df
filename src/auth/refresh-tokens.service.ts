import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { Transaction } from '../database/database.service';
import { AuthTokensRepository, type LiveFamily } from './auth-tokens.repository';
import type { ClientInfo } from './decorators/client.decorator';

/** 256 bits from the CSPRNG, base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;

export interface IssuedRefreshToken {
  /** The opaque token, shown to the client once; only its SHA-256 is stored. */
  token: string;
  familyId: string;
  userId: number;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 256 random bits, base64url: the opaque tokens of refresh families and of mailed links. */
export function newOpaqueToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

/**
 * Refresh-token families. A login starts a family; each refresh supersedes the presented token with a new one of
 * the same family and the same absolute end; revoking a family also ends its access tokens, which the guard
 * checks on every request (SessionLookup).
 */
@Injectable()
export class RefreshTokensService {
  private readonly logger = new Logger(RefreshTokensService.name);

  constructor(
    private readonly authTokens: AuthTokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new family for a login from `client`, ending JWT_REFRESH_EXPIRE_DAYS from now. */
  async startFamily(userId: number, client: ClientInfo, manager?: Transaction): Promise<IssuedRefreshToken> {
    const issued = { token: newOpaqueToken(), familyId: randomUUID(), userId };
    await this.authTokens.startFamily(issued, hashRefreshToken(issued.token), this.config.jwt.refreshExpireDays, client, manager);
    return issued;
  }

  /**
   * Supersedes `presented` with a new token of its family, or answers null (unknown, expired, revoked or already
   * superseded); of two concurrent rotations of one token exactly one wins (AuthTokensRepository.rotate).
   */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedRefreshToken | null> {
    const token = newOpaqueToken();
    const family = await this.authTokens.rotate(hashRefreshToken(presented), hashRefreshToken(token), client);
    if (!family) {
      await this.revokeFamilyIfReused(presented);
      return null;
    }
    return { token, ...family };
  }

  /**
   * A token superseded longer ago than the grace window is being replayed: someone holds a copy. The whole
   * family is revoked, its access tokens included. Within the window (a client that retried, or lost the race
   * of two concurrent refreshes) nothing is revoked.
   */
  private async revokeFamilyIfReused(presented: string): Promise<void> {
    const revoked = await this.authTokens.revokeFamilyOfTokenSupersededBefore(
      hashRefreshToken(presented),
      this.config.jwt.refreshGraceSeconds,
    );
    if (revoked) this.logger.warn(`Refresh token reuse: family ${revoked.familyId} of user ${revoked.userId} revoked`);
  }

  /** Logout: revokes the family of `presented`, whatever state that token is in. Unknown tokens do nothing. */
  async revokeFamilyOf(presented: string): Promise<void> {
    await this.authTokens.revokeFamilyOfToken(hashRefreshToken(presented));
  }

  /**
   * Revokes every family of the user but `keepFamilyId` (a claimed guest's, all devices after a password reset,
   * the other devices after a password change); their access tokens stop at once.
   */
  async revokeAllOf(userId: number, manager?: Transaction, keepFamilyId: string | null = null): Promise<void> {
    await this.authTokens.revokeAllOf(userId, keepFamilyId, manager);
  }

  /** Revokes one family of the user; false when the user has no live family of that id. */
  revokeFamily(userId: number, familyId: string): Promise<boolean> {
    return this.authTokens.revokeLiveFamily(userId, familyId);
  }

  /** The user's live families, newest use first. */
  listLiveFamilies(userId: number): Promise<LiveFamily[]> {
    return this.authTokens.listLiveFamilies(userId);
  }
}
