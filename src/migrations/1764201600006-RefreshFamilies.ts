import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Families as rows, checked by primary key (an EXISTS over the tokens degraded with the user's history). A token
 * revoked by hand still ends its family (a trigger). Servers of the previous version must be stopped first.
 */
export class RefreshFamilies1764201600006 implements MigrationInterface {
  name = 'RefreshFamilies1764201600006';

  async up(queryRunner: QueryRunner): Promise<void> {
    // No login or refresh may add a token between building the families and the foreign key that needs them.
    await queryRunner.query(`LOCK TABLE "auth_tokens" IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(
      `CREATE TABLE "refresh_families" ("id" uuid NOT NULL, "user_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "user_agent" character varying(512), "ip" character varying(45), CONSTRAINT "PK_cb5c08eb602a0223251328ed350" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_refresh_families_user_id" ON "refresh_families" ("user_id")`);
    await queryRunner.query(
      `INSERT INTO "refresh_families" ("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent", "ip")
       SELECT "family_id", min("user_id"), min("created_at"), max("created_at"), max("expires_at"),
              max("revoked_at"),
              (array_agg("user_agent" ORDER BY "created_at" DESC, "id" DESC))[1],
              (array_agg("ip" ORDER BY "created_at" DESC, "id" DESC))[1]
         FROM "auth_tokens" GROUP BY "family_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_families" ADD CONSTRAINT "FK_2cddc23cd1db33a50cad437bc14" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "auth_tokens" ADD CONSTRAINT "FK_7bfddacb9b07c622bc318d8776e" FOREIGN KEY ("family_id") REFERENCES "refresh_families"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "revoke_family_of_revoked_token"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE "refresh_families" SET "revoked_at" = NEW."revoked_at" WHERE "id" = NEW."family_id" AND "revoked_at" IS NULL;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "auth_tokens_revoke_family" AFTER UPDATE OF "revoked_at" ON "auth_tokens"
       FOR EACH ROW WHEN (NEW."revoked_at" IS NOT NULL AND OLD."revoked_at" IS NULL)
       EXECUTE FUNCTION "revoke_family_of_revoked_token"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "auth_tokens_revoke_family" ON "auth_tokens"`);
    await queryRunner.query(`DROP FUNCTION "revoke_family_of_revoked_token"()`);
    await queryRunner.query(
      `UPDATE "auth_tokens" t SET "revoked_at" = f."revoked_at" FROM "refresh_families" f
        WHERE f."id" = t."family_id" AND f."revoked_at" IS NOT NULL AND t."revoked_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP CONSTRAINT "FK_7bfddacb9b07c622bc318d8776e"`);
    await queryRunner.query(`ALTER TABLE "refresh_families" DROP CONSTRAINT "FK_2cddc23cd1db33a50cad437bc14"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_refresh_families_user_id"`);
    await queryRunner.query(`DROP TABLE "refresh_families"`);
  }
}
