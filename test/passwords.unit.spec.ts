import { needsRehash } from 'argon2';

import { ARGON2_OPTIONS, DUMMY_HASH, PasswordsService } from '../src/auth/passwords.service';

describe('passwords', () => {
  it('verifies unknown accounts against a dummy hash of the same cost as a real one', () => {
    expect(needsRehash(DUMMY_HASH, ARGON2_OPTIONS)).toBe(false);
    expect(needsRehash(DUMMY_HASH, { ...ARGON2_OPTIONS, memoryCost: 2 * ARGON2_OPTIONS.memoryCost })).toBe(true);
  });

  it('answers false without a usable hash, whatever the password', async () => {
    const passwords = new PasswordsService();
    await expect(passwords.verify(undefined, 'a secret password')).resolves.toBe(false);
    await expect(passwords.verify('not a hash', 'a secret password')).resolves.toBe(false);
    const stored = await passwords.hash('a secret password');
    await expect(passwords.verify(stored, 'a secret password')).resolves.toBe(true);
  });
});
