import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { RefreshFamily } from './refresh-family.entity';
import { User } from './user.entity';

/**
 * A refresh token (access tokens are stateless). Only the SHA-256 of the opaque token is stored.
 * Every login starts a family; each refresh supersedes the presented token with a new one of the same family.
 */
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

  /** The family's absolute end: login time + JWT_REFRESH_EXPIRE_DAYS; rotation copies it, never extends it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** When a refresh superseded this token; presenting it again after the grace window revokes the family. */
  @Column({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  replacedBy: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The client that logged in or refreshed with this token, for the sessions list. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
