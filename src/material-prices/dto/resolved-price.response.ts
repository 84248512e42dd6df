import { ApiProperty } from '@nestjs/swagger';

import { PRICE_UNITS, type PriceUnit } from '../../database/entities';
import { PRICE_SCOPES, type PriceScope } from './material-price.response';

export class PriceAlternativeResponse {
  @ApiProperty({ type: String, nullable: true, example: 'Wexler' }) supplier: string | null;
  @ApiProperty({ enum: PRICE_UNITS }) unit: PriceUnit;
  @ApiProperty({ example: 3.5 }) price: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2023-08-23' }) price_date: string | null;
  scope: PriceScope;
}

export class ResolvedPriceResponse {
  @ApiProperty({ example: 'sq_tube_1.5x11ga', description: 'The key in its normal spelling' }) material_type: string;
  @ApiProperty({ enum: PRICE_UNITS }) unit: PriceUnit;
  @ApiProperty({ example: 1.5504 }) price: number;
  @ApiProperty({ type: String, nullable: true, example: 'Osorio' }) supplier: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2025-01-22' }) price_date: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Days since price_date; null for an undated price' }) age_days: number | null;
  @ApiProperty({ description: 'Older than PRICE_STALE_DAYS, or undated' }) stale: boolean;
  @ApiProperty({ enum: PRICE_SCOPES }) scope: PriceScope;
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
