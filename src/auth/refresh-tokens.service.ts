import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { SqlClient } from '../database/sql-client';
import { AuthTokensRepository, type LiveFamily } from './auth-tokens.repository';
import type { ClientInfo } from './decorators/client.decorator';

/** 256 bits, base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;

export interface IssuedRefreshToken {
  /** Shown to the client once; only its SHA-256 is stored. */
  token: string;
  familyId: string;
  userId: number;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newOpaqueToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

/** Revoking a family also ends its access tokens, which the guard checks on every request (SessionLookup). */
@Injectable()
export class RefreshTokensService {
  private readonly logger = new Logger(RefreshTokensService.name);

  constructor(
    private readonly database: DatabaseService,
    private readonly authTokens: AuthTokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async startFamily(sql: SqlClient, userId: number, client: ClientInfo): Promise<IssuedRefreshToken> {
    const issued = { token: newOpaqueToken(), familyId: randomUUID(), userId };
    await this.authTokens.startFamily(sql, issued, hashRefreshToken(issued.token), this.config.jwt.refreshExpireDays, client);
    return issued;
  }

  /** Of two concurrent rotations of one token exactly one wins (AuthTokensRepository.rotate). */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedRefreshToken | null> {
    const token = newOpaqueToken();
    const family = await this.authTokens.rotate(this.database.pool, hashRefreshToken(presented), hashRefreshToken(token), client);
    if (!family) {
      await this.revokeFamilyIfReused(presented);
      return null;
    }
    return { token, ...family };
  }

  /**
   * A token superseded longer ago than the grace window is being replayed: the whole family is revoked. Within the
   * window (a client that retried, or lost the race of two concurrent refreshes) nothing is revoked.
   */
  private async revokeFamilyIfReused(presented: string): Promise<void> {
    const revoked = await this.authTokens.revokeFamilyOfTokenSupersededBefore(
      this.database.pool,
      hashRefreshToken(presented),
      this.config.jwt.refreshGraceSeconds,
    );
    if (revoked) this.logger.warn(`Refresh token reuse: family ${revoked.familyId} of user ${revoked.userId} revoked`);
  }

  async revokeFamilyOf(presented: string): Promise<void> {
    await this.authTokens.revokeFamilyOfToken(this.database.pool, hashRefreshToken(presented));
  }

  async revokeAllOf(sql: SqlClient, userId: number, keepFamilyId: string | null = null): Promise<void> {
    await this.authTokens.revokeAllOf(sql, userId, keepFamilyId);
  }

  revokeFamily(userId: number, familyId: string): Promise<boolean> {
    return this.authTokens.revokeLiveFamily(this.database.pool, userId, familyId);
  }

  listLiveFamilies(userId: number): Promise<LiveFamily[]> {
    return this.authTokens.listLiveFamilies(this.database.pool, userId);
  }
}
