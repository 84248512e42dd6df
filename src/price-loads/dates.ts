import { LRUCache } from 'lru-cache';

import { quoteInput } from '../common/quoted-input';

export type DateFormat = 'iso' | 'month/day/year' | 'day.month.year' | 'month name';

export type ParsedDate = { iso: string } | { problem: string };

/** No supplier price this platform reads is older; a year before it is a typing or export error. */
export const EARLIEST_YEAR = 1990;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const PATTERNS: Record<DateFormat, { pattern: RegExp; parts: (match: RegExpExecArray) => [number, number, number] | null }> = {
  iso: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  'month/day/year': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, parts: (m) => [Number(m[3]), Number(m[1]), Number(m[2])] },
  'day.month.year': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, parts: (m) => [Number(m[3]), Number(m[2]), Number(m[1])] },
  'month name': {
    // "Jun 18, 2024", "June 18 2024", "Sept. 5, 2023": the first three letters name the month.
    pattern: /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i,
    parts: (m) => {
      const month = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1;
      return month === 0 ? null : [Number(m[3]), month, Number(m[2])];
    },
  },
};

const EXAMPLES: Record<DateFormat, string> = {
  iso: 'YYYY-MM-DD',
  'month/day/year': 'M/D/YYYY',
  'day.month.year': 'D.M.YYYY',
  'month name': 'Jun 18, 2024',
};

// Exports repeat a few hundred dates across their records: the answers for recent texts are kept.
const recentDates = new LRUCache<string, ParsedDate>({ max: 10_000 });

export function parseDate(text: string, formats: readonly DateFormat[], latestYear = new Date().getUTCFullYear() + 1): ParsedDate {
  const cacheKey = `${formats.join(',')}\u0000${latestYear}\u0000${text}`;
  let parsed = recentDates.get(cacheKey);
  if (parsed === undefined) {
    parsed = parseUncached(text, formats, latestYear);
    recentDates.set(cacheKey, parsed);
  }
  return parsed;
}

function parseUncached(text: string, formats: readonly DateFormat[], latestYear: number): ParsedDate {
  const trimmed = text.trim();
  for (const format of formats) {
    const { pattern, parts } = PATTERNS[format];
    const match = pattern.exec(trimmed);
    const ymd = match && parts(match);
    if (!ymd) continue;
    const problem = calendarProblem(ymd, latestYear);
    return problem === null ? { iso: isoOf(ymd) } : { problem: `${quoteInput(trimmed)} (read as ${EXAMPLES[format]}): ${problem}` };
  }
  return { problem: `${quoteInput(trimmed)} is not a date in the form ${formats.map((format) => EXAMPLES[format]).join(' or ')}` };
}

function calendarProblem([year, month, day]: [number, number, number], latestYear: number): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `${MONTH_NAMES[month - 1]} has ${daysInMonth} days${month === 2 ? ` in ${year}` : ''}`;
  if (year < EARLIEST_YEAR) return `the year ${year} is before ${EARLIEST_YEAR}`;
  if (year > latestYear) return `the year ${year} is after ${latestYear}`;
  return null;
}

function isoOf([year, month, day]: [number, number, number]): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
