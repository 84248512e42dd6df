/** Emails are stored and compared trimmed and lower-cased (the database checks it: CHK_users_email_normalized). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** For class-transformer's @Transform: normalizes strings and leaves anything else for the validators to reject. */
export function normalizeEmailInput({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? normalizeEmail(value) : value;
}

/** Guests' placeholder addresses live under the reserved `.invalid` top-level domain (RFC 2606). */
export const PLACEHOLDER_EMAIL_DOMAIN = 'guest.invalid';

export function isReservedEmail(email: string): boolean {
  return email.endsWith('.invalid');
}
