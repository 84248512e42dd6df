import { Injectable } from '@nestjs/common';

import { DatabaseService } from '../database/database.service';
import type { User } from '../database/entities';
import { AuthTokensRepository } from './auth-tokens.repository';
import { GuardCache } from './guard-cache';

@Injectable()
export class SessionLookup {
  constructor(
    private readonly database: DatabaseService,
    private readonly authTokens: AuthTokensRepository,
    private readonly guardCache: GuardCache,
  ) {}

  async userOfLiveFamily(userId: number, familyId: string): Promise<User | null> {
    const cached = this.guardCache.find(userId, familyId);
    if (cached) return cached;
    const ticket = this.guardCache.beginRead();
    const session = await this.authTokens.findLiveSession(this.database.pool, userId, familyId);
    if (!session) return null;
    this.guardCache.remember(ticket, familyId, session.user, session.familyExpiresAt);
    return session.user;
  }
}
