import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A family's use (last_used_at, user agent, IP) is not announced: it changes nothing the guard checks. */
export class RowChangeNotifications1764201600007 implements MigrationInterface {
  name = 'RowChangeNotifications1764201600007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "notify_row_change"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_LEVEL = 'STATEMENT' THEN
           PERFORM pg_notify('row_changes', TG_TABLE_NAME || ':*');
         ELSE
           PERFORM pg_notify('row_changes', TG_TABLE_NAME || ':' || OLD."id");
         END IF;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "users_notify_change" AFTER UPDATE OR DELETE ON "users"
       FOR EACH ROW EXECUTE FUNCTION "notify_row_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "refresh_families_notify_change" AFTER UPDATE ON "refresh_families"
       FOR EACH ROW WHEN (OLD."revoked_at" IS DISTINCT FROM NEW."revoked_at" OR OLD."expires_at" IS DISTINCT FROM NEW."expires_at"
                          OR OLD."user_id" <> NEW."user_id" OR OLD."id" <> NEW."id")
       EXECUTE FUNCTION "notify_row_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "refresh_families_notify_delete" AFTER DELETE ON "refresh_families"
       FOR EACH ROW EXECUTE FUNCTION "notify_row_change"()`,
    );
    for (const table of ['users', 'refresh_families']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_notify_truncate" AFTER TRUNCATE ON "${table}"
         FOR EACH STATEMENT EXECUTE FUNCTION "notify_row_change"()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'refresh_families']) {
      await queryRunner.query(`DROP TRIGGER "${table}_notify_truncate" ON "${table}"`);
    }
    await queryRunner.query(`DROP TRIGGER "refresh_families_notify_delete" ON "refresh_families"`);
    await queryRunner.query(`DROP TRIGGER "refresh_families_notify_change" ON "refresh_families"`);
    await queryRunner.query(`DROP TRIGGER "users_notify_change" ON "users"`);
    await queryRunner.query(`DROP FUNCTION "notify_row_change"()`);
  }
}
