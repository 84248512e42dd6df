import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { PRICE_UNITS, type PriceUnit } from '../../database/entities';
import { MATERIAL_KEY_MAX_LENGTH } from '../../material-keys/material-key-check';

/** How many keys one batch resolves: a quote's whole bill of materials in one round trip. */
export const RESOLVE_BATCH_MAX_KEYS = 500;

export class ResolvePriceQuery {
  /**
   * A material key; equivalent spellings (SQ_TUBE_1.50x11GA) are normalised
   * @example sq_tube_1.5x11ga
   */
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_KEY_MAX_LENGTH)
  material_type: string;

  /** Only prices in this unit; absent: the unit of the winning price */
  @IsOptional()
  @IsIn(PRICE_UNITS)
  unit?: PriceUnit;
}

export class ResolvePricesBody {
  @ApiProperty({ type: [String], minItems: 1, maxItems: RESOLVE_BATCH_MAX_KEYS, example: ['sq_tube_1.5x11ga', 'flat_bar_2x0.25'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RESOLVE_BATCH_MAX_KEYS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(MATERIAL_KEY_MAX_LENGTH, { each: true })
  material_types: string[];

  @IsOptional()
  @IsIn(PRICE_UNITS)
  unit?: PriceUnit;
}
