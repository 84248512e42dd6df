import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

import { User } from './user.entity';

/**
 * A client IP that logged into an account, and when it last did: past the account-wide ceiling of failed logins
 * only these may still try, so an attacker who knows the email cannot keep the owner out.
 */
@Entity('known_login_ips')
export class KnownLoginIp {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  /** An IPv4 or IPv6 address as the server saw it. */
  @PrimaryColumn({ type: 'varchar', length: 45 })
  ip: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastLoginAt: Date;
}
