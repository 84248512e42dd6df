import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PriceCurrency1764201600009 implements MigrationInterface {
  name = 'PriceCurrency1764201600009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "currency" character(3) NOT NULL DEFAULT 'USD'`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "CHK_users_currency" CHECK ("currency" ~ '^[A-Z]{3}$')`);
    await queryRunner.query(`ALTER TABLE "material_price_history" ADD "currency" character(3) NOT NULL DEFAULT 'USD'`);
    await queryRunner.query(`ALTER TABLE "price_import_files" DROP CONSTRAINT "CHK_price_import_files_format"`);
    await queryRunner.query(
      `ALTER TABLE "price_import_files" ADD CONSTRAINT "CHK_price_import_files_format" CHECK ("format" IN ('json', 'csv', 'xlsx'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "price_import_files" WHERE "format" = 'xlsx'`);
    await queryRunner.query(`ALTER TABLE "price_import_files" DROP CONSTRAINT "CHK_price_import_files_format"`);
    await queryRunner.query(
      `ALTER TABLE "price_import_files" ADD CONSTRAINT "CHK_price_import_files_format" CHECK ("format" IN ('json', 'csv'))`,
    );
    await queryRunner.query(`ALTER TABLE "material_price_history" DROP COLUMN "currency"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CHK_users_currency"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "currency"`);
  }
}
