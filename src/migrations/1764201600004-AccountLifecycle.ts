import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLifecycle1764201600004 implements MigrationInterface {
  name = 'AccountLifecycle1764201600004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "link_tokens" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "kind" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "new_email" character varying(320), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_link_tokens_kind" CHECK ("kind" IN ('verify_email', 'reset_password', 'change_email')), CONSTRAINT "PK_af579a5188d3dfebc6bb1a4f6fd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_link_tokens_token_hash" ON "link_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_link_tokens_user_id_kind" ON "link_tokens" ("user_id", "kind")`);
    await queryRunner.query(
      `CREATE TABLE "mail_outbox" ("id" SERIAL NOT NULL, "user_id" integer, "to_address" character varying(320) NOT NULL, "subject" character varying(200) NOT NULL, "text_body" text NOT NULL, "html_body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "leased_until" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "last_error" text, CONSTRAINT "PK_fecc63c96385bc35a39ccf2a72e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_next_attempt_at" ON "mail_outbox" ("next_attempt_at")`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" ADD "user_agent" character varying(512)`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" ADD "ip" character varying(45)`);
    await queryRunner.query(
      `ALTER TABLE "link_tokens" ADD CONSTRAINT "FK_0199eba299e0db9467e63c14fe0" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "FK_9c7ce0e6c239f56810e7af7ceba" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "FK_9c7ce0e6c239f56810e7af7ceba"`);
    await queryRunner.query(`ALTER TABLE "link_tokens" DROP CONSTRAINT "FK_0199eba299e0db9467e63c14fe0"`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP COLUMN "ip"`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP COLUMN "user_agent"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_outbox_next_attempt_at"`);
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_link_tokens_user_id_kind"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_link_tokens_token_hash"`);
    await queryRunner.query(`DROP TABLE "link_tokens"`);
  }
}
