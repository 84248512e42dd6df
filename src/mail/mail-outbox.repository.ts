import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../database/sql-client';

export interface OutgoingMail {
  userId: number | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  linkTokenId?: number;
}

export interface LeasedMail extends OutgoingMail {
  id: number;
  attempts: number;
  /** Older than MAIL_GIVE_UP_AFTER: a failed delivery now gives the message up. */
  overdue: boolean;
}

@Injectable()
export class MailOutboxRepository {
  /** In the transaction of the change that causes the message: both commit, or neither. */
  async enqueue(sql: SqlClient, mail: OutgoingMail): Promise<void> {
    await sql.query(
      `INSERT INTO mail_outbox (user_id, to_address, subject, text_body, html_body, link_token_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [mail.userId, mail.to, mail.subject, mail.text, mail.html, mail.linkTokenId ?? null],
    );
  }

  /** A message whose sender died is taken again once the lease ends; no transaction stays open while mail is sent. */
  async lease(sql: SqlClient, limit: number, leaseMs: number, giveUpAfterSeconds: number): Promise<LeasedMail[]> {
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [leased]: [LeasedMail[], number] = await sql.query(
      `UPDATE mail_outbox SET leased_until = now() + $2::int * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (SELECT id FROM mail_outbox
                      WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, user_id AS "userId", to_address AS "to", subject, text_body AS text, html_body AS html, attempts,
                 created_at <= now() - $3::int * interval '1 second' AS "overdue"`,
      [limit, leaseMs, giveUpAfterSeconds],
    );
    return leased;
  }

  /** The bodies go (their links carry live tokens, stored only as hashes); the row stays as a record. */
  async markSent(sql: SqlClient, id: number): Promise<void> {
    await sql.query(
      `UPDATE mail_outbox SET sent_at = now(), leased_until = NULL, last_error = NULL, text_body = '', html_body = '' WHERE id = $1`,
      [id],
    );
  }

  /** Answers the link token it carried, to be voided. */
  async giveUp(sql: SqlClient, id: number, error: string): Promise<number | null> {
    const [rows]: [{ link_token_id: number | null }[], number] = await sql.query(
      `UPDATE mail_outbox SET failed_at = now(), leased_until = NULL, last_error = $2, text_body = '', html_body = '' WHERE id = $1 RETURNING link_token_id`,
      [id, error.slice(0, 2000)],
    );
    return rows[0]?.link_token_id ?? null;
  }

  async markFailed(sql: SqlClient, id: number, error: string, retryInMs: number): Promise<void> {
    await sql.query(
      `UPDATE mail_outbox SET leased_until = NULL, last_error = $2, next_attempt_at = now() + $3::int * interval '1 millisecond' WHERE id = $1`,
      [id, error.slice(0, 2000), retryInMs],
    );
  }
}
