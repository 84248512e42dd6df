import type { MigrationInterface, QueryRunner } from 'typeorm';
import unhomoglyph from 'unhomoglyph';

const BATCH = 1000;

/** A frozen copy, held equal to the live one by test/email-skeleton.unit.spec.ts. */
export function emailSkeletonAtMigration(email: string): string {
  return unhomoglyph(email.normalize('NFD').replace(/\p{Cf}/gu, '')).normalize('NFD');
}

export class AddressSkeletonsAndMailGiveUp1764201600031 implements MigrationInterface {
  name = 'AddressSkeletonsAndMailGiveUp1764201600031';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_skeleton" character varying(1024)`);
    for (let after = 0; ;) {
      const rows: { id: number; email: string }[] = await queryRunner.query(
        `SELECT id, email FROM users WHERE id > $1 AND NOT is_provisional ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      await queryRunner.query(
        `UPDATE users SET email_skeleton = v.skeleton FROM unnest($1::int[], $2::text[]) AS v(id, skeleton) WHERE users.id = v.id`,
        [rows.map((row) => row.id), rows.map((row) => emailSkeletonAtMigration(row.email))],
      );
      after = rows[rows.length - 1].id;
    }
    await queryRunner.query(`CREATE INDEX "IDX_users_email_skeleton" ON "users" ("email_skeleton")`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "failed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "link_token_id" integer`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "FK_mail_outbox_link_token_id" FOREIGN KEY ("link_token_id") REFERENCES "link_tokens"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "FK_mail_outbox_link_token_id"`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "link_token_id"`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "failed_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_users_email_skeleton"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_skeleton"`);
  }
}
