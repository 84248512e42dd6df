import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { User } from './user.entity';

export const LINK_TOKEN_KINDS = ['verify_email', 'reset_password', 'change_email'] as const;
export type LinkTokenKind = (typeof LINK_TOKEN_KINDS)[number];

/** Only its SHA-256 is stored; single use. */
@Entity('link_tokens')
@Index('IDX_link_tokens_user_id_kind', ['userId', 'kind'])
@Check('CHK_link_tokens_kind', `"kind" IN (${LINK_TOKEN_KINDS.map((kind) => `'${kind}'`).join(', ')})`)
export class LinkToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: LinkTokenKind;

  @Column({ type: 'char', length: 64 })
  @Index('UQ_link_tokens_token_hash', { unique: true })
  tokenHash: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  newEmail: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** When the link was used, or voided by a newer one of the same kind. */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
