import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { SHOP_TIERS, type ShopTier } from '../../common/reference-data';
import { decimalTransformer } from './decimal.transformer';

/** Guests are provisional users with a placeholder email until they register. */
@Entity('users')
@Index('UQ_users_email', ['email'], { unique: true })
// Emails are stored trimmed and lower-cased, so the plain unique index is case-insensitive.
@Check('CHK_users_email_normalized', `"email" = lower(btrim("email"))`)
@Check('CHK_users_tier', `"tier" IN (${SHOP_TIERS.map((tier) => `'${tier}'`).join(', ')})`)
@Check('CHK_users_markup_default', `"markup_default" BETWEEN 0 AND 100`)
@Check('CHK_users_currency', `"currency" ~ '^[A-Z]{3}$'`)
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  /** The UTS #39 skeleton of a full account's email (see emailSkeleton); null for guests. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  @Index('IDX_users_email_skeleton')
  emailSkeleton: string | null;

  @Column({ type: 'varchar' })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  isVerified: boolean;

  @Column({ type: 'boolean', default: true })
  isProvisional: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  shopName: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  shopAddress: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  shopPhone: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  shopEmail: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  logoUrl: string | null;

  @Column({ type: 'numeric', precision: 10, scale: 2, default: 125, transformer: decimalTransformer })
  rateInshop: number;

  @Column({ type: 'numeric', precision: 10, scale: 2, default: 145, transformer: decimalTransformer })
  rateOnsite: number;

  @Column({ type: 'integer', default: 15 })
  markupDefault: number;

  @Column({ type: 'varchar', length: 16, default: 'basic' })
  tier: ShopTier;

  /** ISO 4217; a price stated in another currency is rejected by its loads. */
  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'integer', default: 0 })
  quoteSeq: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
