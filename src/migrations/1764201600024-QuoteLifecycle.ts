import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuoteLifecycle1764201600024 implements MigrationInterface {
  name = 'QuoteLifecycle1764201600024';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("shop_id" integer NOT NULL, "key" character varying(255) NOT NULL, "fingerprint" character(64) NOT NULL, "status_code" smallint, "response" jsonb, "response_bytes" integer NOT NULL DEFAULT 0, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_18c05b67c8885c0d5c353ff7365" PRIMARY KEY ("shop_id", "key"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_idempotency_keys_shop_id_expires_at" ON "idempotency_keys" ("shop_id", "expires_at")`);
    await queryRunner.query(
      `CREATE TABLE "quote_events" ("id" SERIAL NOT NULL, "quote_id" integer NOT NULL, "actor_id" integer NOT NULL, "action" character varying(16) NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "fields" jsonb NOT NULL DEFAULT '[]', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_quote_events_action" CHECK ("action" IN ('create', 'edit', 'send', 'accept', 'decline', 'reopen', 'archive', 'restore')), CONSTRAINT "PK_ec0c5efd54a0375c9266d911874" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_quote_events_quote_id_id" ON "quote_events" ("quote_id", "id")`);
    await queryRunner.query(`ALTER TABLE "quote_sessions" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "sent_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "decided_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "archived_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "IDX_quote_sessions_user_id_created_at" ON "quote_sessions" ("user_id", "created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_quotes_user_id_quote_number" ON "quotes" ("user_id", length("quote_number"), "quote_number")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_quotes_user_id_status_created_at" ON "quotes" ("user_id", "status", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_quotes_user_id_updated_at" ON "quotes" ("user_id", "updated_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_quotes_user_id_created_at" ON "quotes" ("user_id", "created_at", "id")`);
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "FK_26618660b34efd1f77d2480750a" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quote_events" ADD CONSTRAINT "FK_a9c27ada69bc184f070cd7c2721" FOREIGN KEY ("quote_id") REFERENCES "quotes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quote_events" ADD CONSTRAINT "FK_52e66dadb1b57b161c40c2ab007" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "quote_events" DROP CONSTRAINT "FK_52e66dadb1b57b161c40c2ab007"`);
    await queryRunner.query(`ALTER TABLE "quote_events" DROP CONSTRAINT "FK_a9c27ada69bc184f070cd7c2721"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP CONSTRAINT "FK_26618660b34efd1f77d2480750a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quotes_user_id_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quotes_user_id_updated_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quotes_user_id_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quotes_user_id_quote_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quote_sessions_user_id_created_at"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "archived_at"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "decided_at"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "sent_at"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "version"`);
    await queryRunner.query(`ALTER TABLE "quote_sessions" DROP COLUMN "version"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_quote_events_quote_id_id"`);
    await queryRunner.query(`DROP TABLE "quote_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_idempotency_keys_shop_id_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
