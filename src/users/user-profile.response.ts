import { ApiProperty } from '@nestjs/swagger';

import type { User } from '../database/entities';
import { SHOP_TIERS } from '../reference-data';

/** The user as every response shows it. Built field by field: a password hash can never ride along. */
export class UserProfileResponse {
  @ApiProperty({ example: 42 }) id: number;
  @ApiProperty({ example: 'owner@example-shop.com', description: 'Trimmed and lower-cased; guests have a placeholder under .invalid' })
  email: string;
  @ApiProperty({ description: 'True for a guest until the account is claimed through register' }) is_provisional: boolean;
  @ApiProperty() is_verified: boolean;
  @ApiProperty({ type: String, nullable: true }) shop_name: string | null;
  @ApiProperty({ type: String, nullable: true }) shop_address: string | null;
  @ApiProperty({ type: String, nullable: true }) shop_phone: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) shop_email: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) logo_url: string | null;
  @ApiProperty({ example: 125, description: 'In-shop labor rate per hour' }) rate_inshop: number;
  @ApiProperty({ example: 145, description: 'On-site labor rate per hour' }) rate_onsite: number;
  @ApiProperty({ example: 15, description: 'Default markup, integer percent' }) markup_default: number;
  @ApiProperty({ enum: SHOP_TIERS }) tier: string;
  @ApiProperty({ format: 'date-time' }) created_at: Date;
  @ApiProperty({ format: 'date-time' }) updated_at: Date;
}

export function toUserProfile(user: User): UserProfileResponse {
  return {
    id: user.id,
    email: user.email,
    is_provisional: user.isProvisional,
    is_verified: user.isVerified,
    shop_name: user.shopName,
    shop_address: user.shopAddress,
    shop_phone: user.shopPhone,
    shop_email: user.shopEmail,
    logo_url: user.logoUrl,
    rate_inshop: user.rateInshop,
    rate_onsite: user.rateOnsite,
    markup_default: user.markupDefault,
    tier: user.tier,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
