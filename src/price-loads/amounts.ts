import { quoteInput } from '../common/quoted-input';

/** How a file writes decimals: `3.45` (point, `,` groups thousands) or `3,45` (comma, `.` groups thousands). */
export type DecimalStyle = 'point' | 'comma';
export const DECIMAL_STYLES: readonly DecimalStyle[] = ['point', 'comma'];

export const DOLLAR_SIGN = '$';
const DOLLAR_CURRENCIES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'MXN', 'SGD', 'HKD']);
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_SIGNS: Record<string, string> = {
  $: DOLLAR_SIGN,
  US$: 'USD',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  '\u20ac': 'EUR',
  '\u00a3': 'GBP',
};

const CURRENCY = String.raw`[A-Za-z]{3}|[A-Za-z]{1,2}\$|\$|\u20ac|\u00a3`;
// The digits end in a digit, so the spaces around a currency are never theirs too: one way to match, linear time.
const AMOUNT = new RegExp(String.raw`^([+-]?)\s*(${CURRENCY})?\s*([+-]?)((?:\d|[.,]\d)(?:[\d.,\u00a0\u202f ]*\d)?)\s*(${CURRENCY})?$`);
/** No amount a person writes is longer; a longer cell is no amount, whatever it holds. */
const AMOUNT_MAX_LENGTH = 64;
const SPACE = /[ \u00a0\u202f]/;
const SPACES = /[ \u00a0\u202f]/g;
const STYLE_PATTERNS: Record<DecimalStyle, { plain: RegExp; grouped: RegExp; group: RegExp }> = {
  point: { plain: /^(\d*)(?:\.(\d+))?$/, grouped: /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/, group: /,/g },
  comma: { plain: /^(\d*)(?:,(\d+))?$/, grouped: /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/, group: /\./g },
};

export function currencyOf(text: string): string | null {
  const sign = CURRENCY_SIGNS[text.toUpperCase()];
  if (sign !== undefined) return sign;
  const code = text.toUpperCase();
  return ISO_CURRENCIES.has(code) ? code : null;
}

export function isCurrencyCode(text: string): boolean {
  return ISO_CURRENCIES.has(text);
}

export function isScopeCurrency(currency: string, scopeCurrency: string): boolean {
  return currency === scopeCurrency || (currency === DOLLAR_SIGN && DOLLAR_CURRENCIES.has(scopeCurrency));
}

export type Amount = { value: number; currency: string | null } | { problem: string };

// A text that reads as two numbers in the file's styles (`1.234` with decimal commas) is a problem naming both.
export function readAmount(text: string, styles: readonly DecimalStyle[]): Amount | null {
  const trimmed = text.trim();
  if (trimmed.length > AMOUNT_MAX_LENGTH) return null;
  const match = AMOUNT.exec(trimmed);
  if (!match) return null;
  const [, outerSign, before, innerSign, digits, after] = match;
  if ((before !== undefined && after !== undefined) || (outerSign !== '' && innerSign !== '')) return null;
  const written = before ?? after;
  const currency = written === undefined ? null : currencyOf(written);
  if (written !== undefined && currency === null) return null;
  const ownFirst = [...styles, ...DECIMAL_STYLES.filter((style) => !styles.includes(style))];
  const readings = [...new Set(ownFirst.map((style) => numberIn(digits, style, styles.includes(style))).filter((n) => n !== null))];
  if (readings.length === 0) return null;
  const sign = outerSign === '-' || innerSign === '-' ? -1 : 1;
  if (readings.length > 1)
    return {
      problem: `${quoteInput(text.trim())} reads as ${sign * readings[0]} or as ${sign * readings[1]}: write it without a thousands separator`,
    };
  return { value: sign * readings[0], currency };
}

function numberIn(digits: string, style: DecimalStyle, grouping: boolean): number | null {
  const { plain, grouped, group } = STYLE_PATTERNS[style];
  const spaced = SPACE.test(digits);
  const text = spaced ? digits.replace(SPACES, style === 'point' ? ',' : '.') : digits;
  const match = (spaced ? null : plain.exec(text)) ?? (grouping ? grouped.exec(text) : null);
  if (!match || (match[1] === '' && match[2] === undefined)) return null;
  return Number(`${match[1].replace(group, '') || '0'}.${match[2] ?? '0'}`);
}
