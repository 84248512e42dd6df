import { randomUUID } from 'node:crypto';

import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { User } from '../database/entities';
import type { UpdateProfileDto } from './dto/update-profile.dto';
import { normalizeEmail, PLACEHOLDER_EMAIL_DOMAIN } from './email';

/**
 * The password hash of every guest: not in argon2's PHC format, so no password verifies against it (login also
 * refuses provisional accounts before looking at the hash).
 */
export const GUEST_PASSWORD_HASH = '!guest:no-password';

export const EMAIL_TAKEN = 'This email is already registered';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: number, manager: EntityManager = this.users.manager): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** A full account. The unique index on the normalized email decides races: the loser gets a 409. */
  async createAccount(email: string, passwordHash: string, manager: EntityManager = this.users.manager): Promise<User> {
    return rethrowEmailTaken(() => this.insert(manager, { email: normalizeEmail(email), passwordHash, isProvisional: false }));
  }

  /** A provisional account with a placeholder email under `.invalid` and a hash nothing matches. */
  createGuest(manager: EntityManager = this.users.manager): Promise<User> {
    return this.insert(manager, {
      email: `guest-${randomUUID()}@${PLACEHOLDER_EMAIL_DOMAIN}`,
      passwordHash: GUEST_PASSWORD_HASH,
      isProvisional: true,
    });
  }

  /**
   * Turns the provisional account `id` into a full one in place (same id, so its quotes and sessions stay).
   * 409 when the email belongs to another account, or when the account was claimed meanwhile; either way the
   * row is left as it was.
   */
  async claimGuest(id: number, email: string, passwordHash: string, manager: EntityManager = this.users.manager): Promise<User> {
    const result = await rethrowEmailTaken(() =>
      manager
        .createQueryBuilder()
        .update(User)
        .set({ email: normalizeEmail(email), passwordHash, isProvisional: false })
        .where('id = :id AND is_provisional', { id })
        .execute(),
    );
    if (result.affected !== 1) throw new ConflictException('This account is already registered');
    return manager.findOneByOrFail(User, { id });
  }

  /** A new, proven address (an email change confirmed by its link); 409 when another account has it. */
  async changeEmail(id: number, email: string, manager: EntityManager): Promise<User> {
    await rethrowEmailTaken(() => manager.update(User, { id }, { email: normalizeEmail(email), isVerified: true }));
    return manager.findOneByOrFail(User, { id });
  }

  /** Applies the fields present in `dto` (a partial update) and returns the updated user. */
  async updateProfile(id: number, dto: UpdateProfileDto): Promise<User> {
    const changes: QueryDeepPartialEntity<User> = {};
    if (dto.shop_name !== undefined) changes.shopName = dto.shop_name;
    if (dto.shop_address !== undefined) changes.shopAddress = dto.shop_address;
    if (dto.shop_phone !== undefined) changes.shopPhone = dto.shop_phone;
    if (dto.shop_email !== undefined) changes.shopEmail = dto.shop_email;
    if (dto.logo_url !== undefined) changes.logoUrl = dto.logo_url;
    if (dto.rate_inshop !== undefined) changes.rateInshop = dto.rate_inshop;
    if (dto.rate_onsite !== undefined) changes.rateOnsite = dto.rate_onsite;
    if (dto.markup_default !== undefined) changes.markupDefault = dto.markup_default;
    if (Object.keys(changes).length > 0) await this.users.update({ id }, changes);
    return this.users.findOneByOrFail({ id });
  }

  /** One INSERT ... RETURNING: the generated id, the defaults and the timestamps come back with it. */
  private insert(manager: EntityManager, fields: Pick<User, 'email' | 'passwordHash' | 'isProvisional'>): Promise<User> {
    return manager.save(manager.create(User, fields));
  }
}

const UNIQUE_VIOLATION = '23505';

async function rethrowEmailTaken<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driverError?.code === UNIQUE_VIOLATION && driverError.constraint === 'UQ_users_email') {
      throw new ConflictException(EMAIL_TAKEN);
    }
    throw error;
  }
}
