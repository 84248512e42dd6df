import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Material keys are stored trimmed and lower-cased, so they are looked up the same way. */
const normalizeMaterialType = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const MATERIAL_TYPE_MAX_LENGTH = 200;

export class ListMaterialPricesQuery {
  @ApiPropertyOptional({ example: 'sq_tube_2x11ga', description: 'Only the prices of this material key' })
  @IsOptional()
  @Transform(normalizeMaterialType)
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_TYPE_MAX_LENGTH)
  material_type?: string;
}

export class MaterialTypeParams {
  @ApiProperty({ example: 'sq_tube_2x11ga' })
  @Transform(normalizeMaterialType)
  @IsString()
  @MinLength(1)
  @MaxLength(MATERIAL_TYPE_MAX_LENGTH)
  material_type: string;
}
