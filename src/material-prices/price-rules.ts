/** A price as the current-price rules compare it. */
export interface RankedPrice {
  priceDate: string | null;
  price: number;
}

/**
 * The current-price rules of prices.md: the later date wins; an undated price loses to every dated one; on the
 * same date (or both undated) the higher price wins, so a quote is never priced low by accident. Positive when `a`
 * wins over `b`, 0 when they are equal in date and price. The order is total, so the outcome never depends on
 * the order observations arrive in.
 */
export function comparePrices(a: RankedPrice, b: RankedPrice): number {
  if (a.priceDate !== b.priceDate) {
    if (a.priceDate === null) return -1;
    if (b.priceDate === null) return 1;
    return a.priceDate > b.priceDate ? 1 : -1;
  }
  return Math.sign(a.price - b.price);
}

/** The same order in SQL, as a comparable row value of a `material_prices` row (one price column is set). */
export const CURRENT_PRICE_RANK = (alias: string): string =>
  `(coalesce(${alias}.price_date, '-infinity'::date), coalesce(${alias}.price_per_foot, ${alias}.price_per_lb, ${alias}.price_per_sqft))`;
