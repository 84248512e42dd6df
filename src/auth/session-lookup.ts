import { Injectable } from '@nestjs/common';

import type { User } from '../database/entities';
import { AuthTokensRepository } from './auth-tokens.repository';
import { GuardCache } from './guard-cache';

/** The guard's question of every request: whose is this access token, and is its session (refresh family) live? */
@Injectable()
export class SessionLookup {
  constructor(
    private readonly authTokens: AuthTokensRepository,
    private readonly guardCache: GuardCache,
  ) {}

  /** The user, or null for a revoked family or a deleted user; from the guard's cache, or one query it then keeps. */
  async userOfLiveFamily(userId: number, familyId: string): Promise<User | null> {
    const cached = this.guardCache.find(userId, familyId);
    if (cached) return cached;
    const ticket = this.guardCache.beginRead();
    const session = await this.authTokens.findLiveSession(userId, familyId);
    if (!session) return null;
    this.guardCache.remember(ticket, familyId, session.user, session.familyExpiresAt);
    return session.user;
  }
}
