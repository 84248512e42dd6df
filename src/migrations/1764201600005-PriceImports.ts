import { MigrationInterface, QueryRunner } from 'typeorm';

export class PriceImports1764201600005 implements MigrationInterface {
  name = 'PriceImports1764201600005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "price_imports" ("id" SERIAL NOT NULL, "shop_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dry_run" boolean NOT NULL, "records" integer NOT NULL, "prices_loaded" integer NOT NULL, "prices_already_current" integer NOT NULL, "new_observations" integer NOT NULL, "actuals_loaded" integer NOT NULL, "rejected" integer NOT NULL, "ignored" integer NOT NULL, "warnings" integer NOT NULL, "report" jsonb NOT NULL, CONSTRAINT "PK_2ba426606a1507f30eb9e7e6436" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_price_imports_shop_id_created_at" ON "price_imports" ("shop_id", "created_at", "id")`);
    await queryRunner.query(
      `CREATE TABLE "price_import_files" ("id" SERIAL NOT NULL, "import_id" integer NOT NULL, "position" smallint NOT NULL, "name" character varying(255) NOT NULL, "format" character varying(8) NOT NULL, "bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "records" integer NOT NULL, CONSTRAINT "CHK_price_import_files_format" CHECK ("format" IN ('json', 'csv')), CONSTRAINT "PK_251e3a18906e4b03b80e227c8b2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_price_import_files_import_id_position" ON "price_import_files" ("import_id", "position")`,
    );
    await queryRunner.query(
      `ALTER TABLE "price_imports" ADD CONSTRAINT "FK_70469a3088b3fe37a64939e0edc" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "price_import_files" ADD CONSTRAINT "FK_6e75e4b7f44a444c7e6085b4e3f" FOREIGN KEY ("import_id") REFERENCES "price_imports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "price_import_files" DROP CONSTRAINT "FK_6e75e4b7f44a444c7e6085b4e3f"`);
    await queryRunner.query(`ALTER TABLE "price_imports" DROP CONSTRAINT "FK_70469a3088b3fe37a64939e0edc"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_price_import_files_import_id_position"`);
    await queryRunner.query(`DROP TABLE "price_import_files"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_price_imports_shop_id_created_at"`);
    await queryRunner.query(`DROP TABLE "price_imports"`);
  }
}
