import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

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
