import { LRUCache } from 'lru-cache';

import { quoteInput } from '../common/quoted-input';

/**
 * Calendar dates as the seeder meets them: ISO `YYYY-MM-DD` (the canonical format), `M/D/YYYY` (supplier
 * exports) and `Jun 18, 2024` (invoices). Every form becomes an ISO date, and only real calendar dates pass.
 */
export type DateFormat = 'iso' | 'month/day/year' | 'month name';

export type ParsedDate = { iso: string } | { problem: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const PATTERNS: Record<DateFormat, { pattern: RegExp; parts: (match: RegExpExecArray) => [number, number, number] | null }> = {
  iso: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  'month/day/year': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, parts: (m) => [Number(m[3]), Number(m[1]), Number(m[2])] },
  'month name': {
    // "Jun 18, 2024", "June 18 2024", "Sept. 5, 2023": the first three letters name the month.
    pattern: /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i,
    parts: (m) => {
      const month = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1;
      return month === 0 ? null : [Number(m[3]), month, Number(m[2])];
    },
  },
};

const EXAMPLES: Record<DateFormat, string> = { iso: 'YYYY-MM-DD', 'month/day/year': 'M/D/YYYY', 'month name': 'Jun 18, 2024' };

// Exports repeat a few hundred dates across their records: the answers for recent texts are kept.
const recentDates = new LRUCache<string, ParsedDate>({ max: 10_000 });

/** Parses `text` in the first of `formats` whose shape it has; a shape with an impossible day is a problem. */
export function parseDate(text: string, formats: readonly DateFormat[]): ParsedDate {
  const cacheKey = `${formats.join(',')}\u0000${text}`;
  let parsed = recentDates.get(cacheKey);
  if (parsed === undefined) {
    parsed = parseUncached(text, formats);
    recentDates.set(cacheKey, parsed);
  }
  return parsed;
}

function parseUncached(text: string, formats: readonly DateFormat[]): ParsedDate {
  const trimmed = text.trim();
  for (const format of formats) {
    const { pattern, parts } = PATTERNS[format];
    const match = pattern.exec(trimmed);
    const ymd = match && parts(match);
    if (!ymd) continue;
    const iso = isoIfReal(...ymd);
    return iso ? { iso } : { problem: `${quoteInput(trimmed)} is not a real date` };
  }
  return { problem: `${quoteInput(trimmed)} is not a date in the form ${formats.map((format) => EXAMPLES[format]).join(' or ')}` };
}

/** The ISO text of year-month-day, or null when no such day exists (2024-02-30, month 13). */
function isoIfReal(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
