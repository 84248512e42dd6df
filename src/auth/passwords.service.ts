import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** argon2id with OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * What a login without a usable hash verifies against: the hash of a random password, discarded, made once with
 * ARGON2_OPTIONS (a unit test holds the two together), so it costs what a real verification costs.
 *
 * DECISION: a constant rather than a hash made at start-up: its outcome is ignored, so nothing depends on its password
 * staying unknown, and a hash at start-up cost every start its CPU time and left glibc's threshold for serving 19 MiB
 * from mmap raised before the first login, so that login's buffer stayed in the process (about 19 MiB of resident memory).
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$SbrzpvOV9TxK/0eoCysytA$nhtDL2SDMrIDROnTy5BQyGYeViGlUpk66lscd+PLL+k';

@Injectable()
export class PasswordsService {
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
    await verify(DUMMY_HASH, password);
    return false;
  }
}
