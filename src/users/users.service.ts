import { randomUUID } from 'node:crypto';

import { ConflictException, Injectable } from '@nestjs/common';

import { DatabaseService } from '../database/database.service';
import type { User } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import type { UpdateProfileDto } from './dto/update-profile.dto';
import { normalizeEmail, PLACEHOLDER_EMAIL_DOMAIN } from './email';
import { EmailTakenError, type ProfileChanges, UsersRepository } from './users.repository';

/** Not in argon2's PHC format, so no password verifies against it. */
export const GUEST_PASSWORD_HASH = '!guest:no-password';

export const EMAIL_TAKEN = 'This email is already registered';

@Injectable()
export class UsersService {
  constructor(
    private readonly database: DatabaseService,
    private readonly users: UsersRepository,
  ) {}

  findById(id: number): Promise<User | null> {
    return this.users.findById(this.database.pool, id);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(this.database.pool, normalizeEmail(email));
  }

  /** The unique index on the normalized email decides races: the loser gets a 409. */
  async createAccount(sql: SqlClient, email: string, passwordHash: string): Promise<User> {
    return this.users.insert(sql, { email: normalizeEmail(email), passwordHash, isProvisional: false }).catch(conflictIfEmailTaken);
  }

  createGuest(sql: SqlClient): Promise<User> {
    return this.users.insert(sql, {
      email: `guest-${randomUUID()}@${PLACEHOLDER_EMAIL_DOMAIN}`,
      passwordHash: GUEST_PASSWORD_HASH,
      isProvisional: true,
    });
  }

  /** Same id, so its quotes and sessions stay; 409 (row left as it was) on a taken email or a claim meanwhile. */
  async claimGuest(sql: SqlClient, id: number, email: string, passwordHash: string): Promise<User> {
    const user = await this.users.claimGuest(sql, id, normalizeEmail(email), passwordHash).catch(conflictIfEmailTaken);
    if (!user) throw new ConflictException('This account is already registered');
    return user;
  }

  updateProfile(id: number, dto: UpdateProfileDto): Promise<User> {
    const changes: ProfileChanges = {
      shopName: dto.shop_name,
      shopAddress: dto.shop_address,
      shopPhone: dto.shop_phone,
      shopEmail: dto.shop_email,
      logoUrl: dto.logo_url,
      rateInshop: dto.rate_inshop,
      rateOnsite: dto.rate_onsite,
      markupDefault: dto.markup_default,
      currency: dto.currency,
    };
    return this.users.updateProfile(this.database.pool, id, changes);
  }
}

export function conflictIfEmailTaken(error: unknown): never {
  throw error instanceof EmailTakenError ? new ConflictException(EMAIL_TAKEN) : error;
}
