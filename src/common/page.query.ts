import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { POSTGRES_INT_MAX } from '../database/postgres-limits';

/** `?limit=&offset=` of every list: limit 1–100, default 50. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, maximum: POSTGRES_INT_MAX, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(POSTGRES_INT_MAX)
  offset: number = 0;
}

/** One page of a list, as every list answers it. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
