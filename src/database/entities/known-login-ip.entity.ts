import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

import { User } from './user.entity';

/** Past the account-wide ceiling of failed logins only these IPs may still try, so the owner is not kept out. */
@Entity('known_login_ips')
export class KnownLoginIp {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number;

  @PrimaryColumn({ type: 'varchar', length: 45 })
  ip: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastLoginAt: Date;
}
