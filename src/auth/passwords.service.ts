import { randomBytes } from 'node:crypto';

import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** argon2id with OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

@Injectable()
export class PasswordsService implements OnModuleInit {
  private dummyHash?: Promise<string>;

  /** Made at start-up, so that not even the first unknown-email login pays for it. */
  async onModuleInit(): Promise<void> {
    await this.getDummyHash();
  }

  /** The whole password is hashed (argon2 has no 72-byte truncation); the length rule lives in the DTOs. */
  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /**
   * True when `password` matches `passwordHash`. Without a usable hash (unknown email, guest) it still verifies
   * against a dummy hash of the same cost, so the answer takes about as long either way.
   */
  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash?.startsWith('$argon2')) return verify(passwordHash, password);
    await verify(await this.getDummyHash(), password);
    return false;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }
}
