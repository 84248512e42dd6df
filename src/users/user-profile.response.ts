import { ApiProperty } from '@nestjs/swagger';

import { SHOP_TIERS } from '../common/reference-data';
import type { User } from '../database/entities';

/** The user as every response shows it. Built field by field: a password hash can never ride along. */
export class UserProfileResponse {
  /** @example 42 */
  id: number;
  /**
   * Trimmed and lower-cased; guests have a placeholder under .invalid
   * @example owner@example-shop.com
   */
  email: string;
  /** True for a guest until the account is claimed through register */
  is_provisional: boolean;
  is_verified: boolean;
  shop_name: string | null;
  shop_address: string | null;
  shop_phone: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) shop_email: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) logo_url: string | null;
  /**
   * In-shop labor rate per hour
   * @example 125
   */
  rate_inshop: number;
  /**
   * On-site labor rate per hour
   * @example 145
   */
  rate_onsite: number;
  /**
   * Default markup, integer percent
   * @example 15
   */
  markup_default: number;
  /**
   * ISO 4217: the currency of the shop's prices
   * @example "USD"
   */
  currency: string;
  @ApiProperty({ enum: SHOP_TIERS }) tier: string;
  created_at: Date;
  updated_at: Date;
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
    currency: user.currency.trim(),
    tier: user.tier,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
