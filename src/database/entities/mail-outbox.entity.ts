import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { LinkToken } from './link-token.entity';
import { User } from './user.entity';

/** Written in the transaction of the change that causes it, so an SMTP outage or a crash delays mail, loses none. */
@Entity('mail_outbox')
@Index('IDX_mail_outbox_next_attempt_at', ['nextAttemptAt'])
export class MailOutbox {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  userId: number | null;

  @Column({ type: 'varchar', length: 320 })
  toAddress: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  textBody: string;

  @Column({ type: 'text' })
  htmlBody: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** A sender took the message until then; another may take it after (the first one crashed). */
  @Column({ type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** Given up after MAIL_GIVE_UP_AFTER: the bodies are dropped and `linkTokenId` voided. */
  @Column({ type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  @ForeignKey(() => LinkToken, { onDelete: 'SET NULL', name: 'FK_mail_outbox_link_token_id' })
  linkTokenId: number | null;
}
