import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

import { User } from './user.entity';

/** One login and the refresh tokens that rotate from it (a signed-in device in the sessions list). */
@Entity('refresh_families')
export class RefreshFamily {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'integer' })
  @Index('IDX_refresh_families_user_id')
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;

  /** Rotation never extends it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** Also set by a token's own revoked_at (trigger): the family's tokens stop at once. */
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
