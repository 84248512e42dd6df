import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

import { User } from './user.entity';

/**
 * One login and the refresh tokens that rotate from it (a signed-in device in the sessions list). The guard and
 * rotation check a family by its primary key, whatever its user's history.
 */
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

  /** The latest login or refresh of the family. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;

  /** Login time + JWT_REFRESH_EXPIRE_DAYS; rotation never extends it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /**
   * Set by logout, reuse of a superseded token, password reset or change, a guest's claim, ending a session from
   * the sessions list, a token's own revoked_at (trigger), or by hand: the family's tokens stop at once.
   */
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The client of the latest login or refresh, for the sessions list. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
