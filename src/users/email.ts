/** Zero-width characters, soft hyphens, bidi controls and the like: they change no letter a person sees. */
const INVISIBLE_CHARACTERS = /\p{Cf}/gu;

/**
 * Emails are stored and compared in one spelling: Unicode NFKC, invisible characters removed, trimmed and
 * lower-cased (the database checks the last two: CHK_users_email_normalized), so two addresses that look the
 * same are the same account.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '').trim().toLowerCase();
}

/** Does `email` hold characters no one sees (which a new address may not)? */
export function hasInvisibleCharacters(email: string): boolean {
  return email.search(INVISIBLE_CHARACTERS) !== -1;
}

/** The longest address (RFC 5321: a path of 256 octets, less the angle brackets). */
export const EMAIL_MAX_LENGTH = 254;

/**
 * For class-transformer's @Transform: the address as typed, in NFKC, trimmed and lower-cased, invisible characters
 * kept so that the service can tell them apart; anything but a string is left for the validators to reject.
 */
export function normalizeEmailInput({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : value;
}

/** Guests' placeholder addresses live under the reserved `.invalid` top-level domain (RFC 2606). */
export const PLACEHOLDER_EMAIL_DOMAIN = 'guest.invalid';

export function isReservedEmail(email: string): boolean {
  return email.endsWith('.invalid');
}
