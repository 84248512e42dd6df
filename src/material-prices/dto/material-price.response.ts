import { ApiProperty } from '@nestjs/swagger';

import type { MaterialPrice, MaterialPriceHistory, PriceUnit } from '../../database/entities';

export const PRICE_SCOPES = ['shop', 'baseline'] as const;
export type PriceScope = (typeof PRICE_SCOPES)[number];

/** The fields a current price and a history observation share. */
class PriceFields {
  id: number;
  /** @example sq_tube_2x11ga */
  material_type: string;
  /**
   * The supplier's display name
   * @example Osorio
   */
  supplier: string | null;
  /** @example 3.45 */
  price_per_foot: number | null;
  price_per_lb: number | null;
  price_per_sqft: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The date the supplier quoted the price' })
  price_date: string | null;
  /** 'shop': the caller's own price; 'baseline': the shared price every shop sees */
  scope: PriceScope;
  /** Where the price was loaded from (file:record) */
  source: string | null;
  notes: string | null;
}

export class MaterialPriceResponse extends PriceFields {
  /** The unit of the one price this row holds (null: a v1 row without a price) */
  unit: PriceUnit | null;
  updated_at: Date | null;
}

export class MaterialPricePageResponse {
  items: MaterialPriceResponse[];
  total: number;
  limit: number;
  offset: number;
}

export class MaterialPriceObservationResponse extends PriceFields {
  /** The supplier's own description of the material, or the key as typed */
  raw_description: string | null;
  /** When the observation was loaded */
  recorded_at: Date;
}

export class MaterialPriceObservationPageResponse {
  items: MaterialPriceObservationResponse[];
  total: number;
  limit: number;
  offset: number;
}

export function scopeOf(row: { shopId: number | null }): PriceScope {
  return row.shopId === null ? 'baseline' : 'shop';
}

export function toMaterialPriceResponse(price: MaterialPrice): MaterialPriceResponse {
  return {
    id: price.id,
    material_type: price.materialType,
    supplier: price.supplier,
    price_per_foot: price.pricePerFoot,
    price_per_lb: price.pricePerLb,
    price_per_sqft: price.pricePerSqft,
    price_date: price.priceDate,
    scope: scopeOf(price),
    source: price.source,
    notes: price.notes,
    unit: price.unit,
    updated_at: price.updatedAt,
  };
}

export function toMaterialPriceObservationResponse(observation: MaterialPriceHistory): MaterialPriceObservationResponse {
  return {
    id: observation.id,
    material_type: observation.materialType,
    supplier: observation.supplier,
    price_per_foot: observation.pricePerFoot,
    price_per_lb: observation.pricePerLb,
    price_per_sqft: observation.pricePerSqft,
    price_date: observation.priceDate,
    scope: scopeOf(observation),
    source: observation.source,
    notes: observation.notes,
    raw_description: observation.rawDescription,
    recorded_at: observation.recordedAt,
  };
}
