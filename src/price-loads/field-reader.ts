import { isStorableText, type RawRecord } from '../common/json-values';
import { quoteInput } from '../common/quoted-input';
import { POSTGRES_INT_MAX } from '../database/postgres-limits';
import { type DecimalStyle, readAmount } from './amounts';
import { type DateFormat, parseDate } from './dates';

/** Free text longer than this (a note, a description) rejects its record: no export has a reason to hold more. */
export const FREE_TEXT_MAX_LENGTH = 2000;

/** How a report names a value that has the wrong type: `the text "3.45"` (cut as quoteInput cuts it), `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the text ${quoteInput(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

/** Rounds a derived price (piece price / stick length) to a hundredth of a cent, as supplier exports do. */
export function roundPrice(price: number): number {
  return Math.round(price * 10_000) / 10_000;
}

export class FieldReader {
  readonly problems: string[] = [];
  readonly currencies = new Set<string>();

  constructor(
    private readonly record: RawRecord,
    private readonly amountStyles?: readonly DecimalStyle[],
  ) {}

  has(name: string): boolean {
    return this.record[name] !== undefined && this.record[name] !== null;
  }

  text(name: string, options: { required?: boolean; maxLength?: number; numbersAllowed?: boolean } = {}): string | null {
    const value = this.record[name];
    if (value === undefined || value === null) return this.absent(name, options.required);
    if (typeof value === 'number' && options.numbersAllowed && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return this.problem(`${name} must be text (got ${describeValue(value)})`);
    if (!isStorableText(value)) return this.problem(`${name} holds a NUL character or broken Unicode, which cannot be stored`);
    const trimmed = value.trim();
    if (trimmed === '') return this.absent(name, options.required);
    const maxLength = options.maxLength ?? FREE_TEXT_MAX_LENGTH;
    if (trimmed.length > maxLength) return this.problem(`${name} is longer than ${maxLength} characters (${trimmed.length})`);
    return trimmed;
  }

  positiveNumber(name: string, required = false): number | null {
    const value = this.number(name, required);
    if (value !== null && value <= 0) return this.problem(`${name} must be more than 0 (got ${value})`);
    return value;
  }

  price(name: string, max: number): number | null {
    const value = this.positiveNumber(name);
    if (value !== null && value > max) return this.problem(`${name} ${value} is above ${max}, the most a price per unit may be`);
    return value;
  }

  nonNegativeNumber(name: string): number | null {
    const value = this.number(name, false);
    if (value !== null && value < 0) return this.problem(`${name} must not be negative (got ${value})`);
    return value;
  }

  positiveInteger(name: string): number | null {
    const value = this.positiveNumber(name);
    if (value !== null && !Number.isInteger(value)) return this.problem(`${name} must be a whole number (got ${value})`);
    if (value !== null && value > POSTGRES_INT_MAX) return this.problem(`${name} ${value} is out of range (at most ${POSTGRES_INT_MAX})`);
    return value;
  }

  date(name: string, formats: readonly DateFormat[]): string | null {
    const value = this.text(name);
    if (value === null) return null;
    const parsed = parseDate(value, formats);
    return 'iso' in parsed ? parsed.iso : this.problem(`${name} ${parsed.problem}`);
  }

  /** Canonical records are strict, so that a misspelt field (`price_per_ft`) is a problem, not a silent loss. */
  onlyFields(allowed: readonly string[]): void {
    for (const name of Object.keys(this.record)) {
      if (!allowed.includes(name)) this.problems.push(`unknown field ${quoteInput(name)}`);
    }
  }

  problem(message: string): null {
    this.problems.push(message);
    return null;
  }

  private number(name: string, required: boolean): number | null {
    let value = this.record[name];
    if (value === undefined || value === null) return this.absent(name, required);
    const amount = typeof value === 'string' && this.amountStyles?.length ? readAmount(value, this.amountStyles) : null;
    if (amount !== null && 'problem' in amount) return this.problem(`${name} ${amount.problem}`);
    if (amount !== null) {
      if (amount.currency !== null) this.currencies.add(amount.currency);
      value = amount.value;
    }
    if (typeof value !== 'number') return this.problem(`${name} must be a number (got ${describeValue(value)})`);
    if (Number.isNaN(value)) return this.problem(`${name} is NaN, not a number`);
    if (!Number.isFinite(value)) return this.problem(`${name} is ${value}, not a finite number`);
    return value;
  }

  private absent(name: string, required = false): null {
    if (required) this.problems.push(`${name} is missing`);
    return null;
  }
}
