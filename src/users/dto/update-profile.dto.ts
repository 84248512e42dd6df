import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsISO4217CurrencyCode,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { EMAIL_MAX_LENGTH, normalizeEmailInput } from '../email';

const MAX_RATE = 10000;
const RATE = { allowNaN: false, allowInfinity: false } as const;
/** Rates and markup are NOT NULL columns: absent means "leave as is", null is a 400. */
const unlessAbsent = (_: object, value: unknown) => value !== undefined;

/** Text fields accept null to clear them; any other field (email, password, tier, ...) is a 400. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  shop_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  shop_address?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  shop_phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: EMAIL_MAX_LENGTH })
  @IsOptional()
  @Transform(normalizeEmailInput)
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  shop_email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uri', maxLength: 2048, example: 'https://example-shop.com/logo.png' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logo_url must be an absolute https URL' })
  @MaxLength(2048)
  logo_url?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_RATE, example: 125 })
  @ValidateIf(unlessAbsent)
  @IsNumber(RATE)
  @Min(0)
  @Max(MAX_RATE)
  rate_inshop?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_RATE, example: 145 })
  @ValidateIf(unlessAbsent)
  @IsNumber(RATE)
  @Min(0)
  @Max(MAX_RATE)
  rate_onsite?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, example: 15 })
  @ValidateIf(unlessAbsent)
  @IsInt()
  @Min(0)
  @Max(100)
  markup_default?: number;

  /** ISO 4217 code of the currency the shop's prices are in; a price file stating another currency is rejected per record */
  @ApiPropertyOptional({ example: 'USD', pattern: '^[A-Z]{3}$' })
  @ValidateIf(unlessAbsent)
  @IsISO4217CurrencyCode()
  currency?: string;
}
