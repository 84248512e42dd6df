import { MigrationInterface, QueryRunner } from 'typeorm';

export class KnownLoginIps1764201600003 implements MigrationInterface {
  name = 'KnownLoginIps1764201600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "known_login_ips" ("user_id" integer NOT NULL, "ip" character varying(45) NOT NULL, "last_login_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_938306afec5ce30b0a4e63d48e6" PRIMARY KEY ("user_id", "ip"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "known_login_ips" ADD CONSTRAINT "FK_2deb357b1186dae4abc44faabb7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "known_login_ips" DROP CONSTRAINT "FK_2deb357b1186dae4abc44faabb7"`);
    await queryRunner.query(`DROP TABLE "known_login_ips"`);
  }
}
