import unhomoglyph from 'unhomoglyph';

/** Zero-width characters, soft hyphens, bidi controls: they change no letter a person sees. */
const INVISIBLE_CHARACTERS = /\p{Cf}/gu;

/** NFKC, invisible characters removed, trimmed and lower-cased, so two addresses that look the same are one account. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '').trim().toLowerCase();
}

export function hasInvisibleCharacters(email: string): boolean {
  return email.search(INVISIBLE_CHARACTERS) !== -1;
}

/** RFC 5321: a path of 256 octets, less the angle brackets. */
export const EMAIL_MAX_LENGTH = 254;

/** Invisible characters are kept so that the service can tell them apart; a non-string is left to the validators. */
export function normalizeEmailInput({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : value;
}

export const PLACEHOLDER_EMAIL_DOMAIN = 'guest.invalid';

const RESERVED_TOP_LEVEL_DOMAINS = new Set(['invalid', 'test', 'localhost', 'local']);

/** RFC 5322 atext, and any letter beyond ASCII as RFC 6531 allows: no quotes, spaces or controls. */
const LOCAL_PART = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
const TOP_LEVEL_DOMAIN = /^(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/u;
const LOCAL_PART_MAX_LENGTH = 64;

export function emailProblem(email: string): string | undefined {
  const parts = email.replace(INVISIBLE_CHARACTERS, '').split('@');
  if (parts.length !== 2) return 'must hold exactly one @';
  const [local, domain] = parts;
  if (local.length > LOCAL_PART_MAX_LENGTH || !LOCAL_PART.test(local))
    return "must have a plain local part (letters, digits and !#$%&'*+/=?^_`{|}~- between single dots; no quotes, spaces or control characters)";
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return 'must have a domain name such as example.com';
  const topLevel = labels[labels.length - 1];
  if (!TOP_LEVEL_DOMAIN.test(topLevel)) return 'must end in a top-level domain of letters';
  if (RESERVED_TOP_LEVEL_DOMAINS.has(topLevel)) return `must not be under the reserved .${topLevel} domain`;
  return undefined;
}

/** UTS #39: Cyrillic `а` for Latin `a`, `rn` for `m` give one skeleton. */
export function emailSkeleton(email: string): string {
  return unhomoglyph(email.normalize('NFD').replace(INVISIBLE_CHARACTERS, '')).normalize('NFD');
}
