import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { PageQuery } from '../../common/page.query';
import { MATERIAL_KEY_MAX_LENGTH } from '../../material-keys/material-key-check';

export class ListMaterialPricesQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'sq_tube_2x11ga',
    description: 'Only the prices of this material key; equivalent spellings are normalised',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_KEY_MAX_LENGTH)
  material_type?: string;
}

export class MaterialTypeParams {
  @ApiProperty({ example: 'sq_tube_2x11ga', description: 'A material key; equivalent spellings are normalised' })
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_KEY_MAX_LENGTH)
  material_type: string;
}
