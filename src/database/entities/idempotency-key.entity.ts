import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

import { User } from './user.entity';

/** Written in the request's own transaction, so a key exists only with its answer. */
@Entity('idempotency_keys')
@Index('IDX_idempotency_keys_shop_id_expires_at', ['shopId', 'expiresAt'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  shopId: number;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'character', length: 64 })
  fingerprint: string;

  /** Null only inside the transaction that claimed the key. */
  @Column({ type: 'smallint', nullable: true })
  statusCode: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response: Record<string, unknown> | null;

  @Column({ type: 'integer', default: 0 })
  responseBytes!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
