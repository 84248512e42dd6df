import { ApiProperty } from '@nestjs/swagger';

import type { PriceUnit } from '../../database/entities';
import type { PriceScope } from './material-price.response';

export class PriceAlternativeResponse {
  /** @example Wexler */
  supplier: string | null;
  unit: PriceUnit;
  /** @example 3.5 */
  price: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2023-08-23' }) price_date: string | null;
  scope: PriceScope;
}

export class ResolvedPriceResponse {
  /**
   * The key in its normal spelling
   * @example sq_tube_1.5x11ga
   */
  material_type: string;
  unit: PriceUnit;
  /** @example 1.5504 */
  price: number;
  /** @example Osorio */
  supplier: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2025-01-22' }) price_date: string | null;
  /** Days since price_date; null for an undated price */
  age_days: number | null;
  /** Older than PRICE_STALE_DAYS, or undated */
  stale: boolean;
  scope: PriceScope;
  // Not JSDoc: its @example reader turns the apostrophe into a quote and then drops it.
  @ApiProperty({
    example: "latest dated price of the caller's shop, else of the shared baseline",
    description: 'Why this price was chosen',
  })
  rule: string;
  /** The other current prices of the key (the caller's shop first), best first */
  alternatives: PriceAlternativeResponse[];
}

export class UnresolvedPriceResponse {
  /** @example sq_tube_9x11ga */
  material_type: string;
  /** @example "no price for sq_tube_9x11ga in this shop or the shared baseline" */
  reason: string;
}

export class ResolvedPricesResponse {
  /** One price per key that has one, in the order asked */
  prices: ResolvedPriceResponse[];
  /** The keys without a price */
  missing: UnresolvedPriceResponse[];
}
