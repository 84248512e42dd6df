import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

import { PageQuery } from '../../common/page.query';
import { MATERIAL_KEY_MAX_LENGTH } from '../../material-keys/material-key-check';

export class ListMaterialPricesQuery extends PageQuery {
  /**
   * Only the prices of this material key; equivalent spellings are normalised
   * @example sq_tube_2x11ga
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_KEY_MAX_LENGTH)
  material_type?: string;
}

export class MaterialTypeParams {
  /**
   * A material key; equivalent spellings are normalised
   * @example sq_tube_2x11ga
   */
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_KEY_MAX_LENGTH)
  material_type: string;
}

/** The most observations one page of a material's history holds. */
export const HISTORY_PAGE_MAX = 500;

/** `?limit=&offset=` of a material's history: like every list, but up to 500 a page (a material has many observations). */
export class PriceHistoryQuery extends PageQuery {
  // class-validator keeps a subclass's own validators of a property in place of the inherited ones.
  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_PAGE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  override limit: number = 50;
}
