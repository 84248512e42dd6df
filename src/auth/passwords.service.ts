import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** OWASP's first recommended argon2id setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** A random password's hash with ARGON2_OPTIONS (a unit test holds the two together): a login without a hash costs the same. */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$SbrzpvOV9TxK/0eoCysytA$nhtDL2SDMrIDROnTy5BQyGYeViGlUpk66lscd+PLL+k';

@Injectable()
export class PasswordsService {
  /** The whole password is hashed (argon2 has no 72-byte truncation). */
  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash?.startsWith('$argon2')) return verify(passwordHash, password);
    await verify(DUMMY_HASH, password);
    return false;
  }
}
