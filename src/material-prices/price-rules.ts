export interface RankedPrice {
  priceDate: string | null;
  price: number;
}

/** On the same date (or both undated) the higher price wins, so a quote is never priced low by accident. */
export function comparePrices(a: RankedPrice, b: RankedPrice): number {
  if (a.priceDate !== b.priceDate) {
    if (a.priceDate === null) return -1;
    if (b.priceDate === null) return 1;
    return a.priceDate > b.priceDate ? 1 : -1;
  }
  return Math.sign(a.price - b.price);
}

export const CURRENT_PRICE_RANK = (alias: string): string =>
  `(coalesce(${alias}.price_date, '-infinity'::date), coalesce(${alias}.price_per_foot, ${alias}.price_per_lb, ${alias}.price_per_sqft))`;
