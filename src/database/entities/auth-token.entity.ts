import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { RefreshFamily } from './refresh-family.entity';
import { User } from './user.entity';

/** A refresh token (access tokens are stateless); only its SHA-256 is stored. */
@Entity('auth_tokens')
export class AuthToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  @Index('IDX_auth_tokens_user_id')
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  @Column({ type: 'char', length: 64 })
  @Index('UQ_auth_tokens_token_hash', { unique: true })
  tokenHash: string;

  @Column({ type: 'varchar', length: 16, default: 'refresh' })
  tokenType: string;

  @Column({ type: 'uuid' })
  @Index('IDX_auth_tokens_family_id')
  @ForeignKey(() => RefreshFamily, { onDelete: 'CASCADE' })
  familyId: string;

  /** Rotation copies it, never extends it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Presenting it again after the grace window revokes the family. */
  @Column({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  replacedBy: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
