import { MigrationInterface, QueryRunner } from 'typeorm';

/** Additive: no v1 table or column is dropped. */
export class V2Foundation1764201600001 implements MigrationInterface {
  name = 'V2Foundation1764201600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "email" character varying(320) NOT NULL, "password_hash" character varying NOT NULL, "is_verified" boolean NOT NULL DEFAULT false, "is_provisional" boolean NOT NULL DEFAULT true, "shop_name" character varying(200), "shop_address" character varying(500), "shop_phone" character varying(50), "shop_email" character varying(320), "logo_url" character varying(2048), "rate_inshop" numeric(10,2) NOT NULL DEFAULT '125', "rate_onsite" numeric(10,2) NOT NULL DEFAULT '145', "markup_default" integer NOT NULL DEFAULT '15', "tier" character varying(16) NOT NULL DEFAULT 'basic', "quote_seq" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_users_markup_default" CHECK ("markup_default" BETWEEN 0 AND 100), CONSTRAINT "CHK_users_tier" CHECK ("tier" IN ('basic', 'pro', 'enterprise')), CONSTRAINT "CHK_users_email_normalized" CHECK ("email" = lower(btrim("email"))), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email")`);

    await queryRunner.query(
      `CREATE TABLE "auth_tokens" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "token_hash" character(64) NOT NULL, "token_type" character varying(16) NOT NULL DEFAULT 'refresh', "family_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "superseded_at" TIMESTAMP WITH TIME ZONE, "replaced_by" integer, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_41e9ddfbb32da18c4e85e45c2fd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_auth_tokens_user_id" ON "auth_tokens" ("user_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_auth_tokens_token_hash" ON "auth_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_auth_tokens_family_id" ON "auth_tokens" ("family_id")`);

    await queryRunner.query(
      `CREATE TABLE "hardware_items" ("id" SERIAL NOT NULL, "name" character varying(200) NOT NULL, "category" character varying(64) NOT NULL, "mcmaster_part" character varying(64), "mcmaster_price" numeric(10,2), "mcmaster_url" character varying(2048), "alt1_supplier" character varying(128), "alt1_price" numeric(10,2), "alt1_url" character varying(2048), "alt2_supplier" character varying(128), "alt2_price" numeric(10,2), "alt2_url" character varying(2048), "last_updated" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_992ef14539f91415775a016ce79" PRIMARY KEY ("id"))`,
    );

    await queryRunner.query(
      `CREATE TABLE "quote_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" integer NOT NULL, "job_type" character varying(64), "stage" character varying(32) NOT NULL DEFAULT 'intake', "params_json" jsonb NOT NULL DEFAULT '{}', "messages_json" jsonb NOT NULL DEFAULT '[]', "photo_urls" jsonb NOT NULL DEFAULT '[]', "status" character varying(16) NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_quote_sessions_status" CHECK ("status" IN ('active', 'complete', 'abandoned')), CONSTRAINT "PK_59952fedf61bfd3a79842e48094" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_quote_sessions_user_id" ON "quote_sessions" ("user_id")`);

    await queryRunner.query(
      `CREATE TABLE "historical_actuals" ("id" SERIAL NOT NULL, "quote_id" integer, "shop_id" integer, "invoice_number" character varying(64), "invoice_date" date, "job_type" character varying(64), "actual_hours_by_process" jsonb NOT NULL DEFAULT '{}', "total_hours" double precision, "quoted_hours" double precision, "shop_rate" double precision, "actual_material_cost" double precision, "labor_cost" double precision, "invoice_total" double precision, "variance_pct" double precision, "notes" text, "source_file" character varying(512), "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_historical_actuals_identified" CHECK ("invoice_number" IS NOT NULL OR "quote_id" IS NOT NULL), CONSTRAINT "PK_9f19b7eea41793f43fec7c3a9ff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_historical_actuals_invoice" ON "historical_actuals" ("shop_id", "invoice_number") NULLS NOT DISTINCT WHERE "invoice_number" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_historical_actuals_quote" ON "historical_actuals" ("shop_id", "quote_id") NULLS NOT DISTINCT WHERE "invoice_number" IS NULL`,
    );

    await queryRunner.query(
      `CREATE TABLE "material_price_history" ("id" SERIAL NOT NULL, "shop_id" integer, "material_type" character varying NOT NULL, "supplier" character varying(128), "price_date" date, "price_per_foot" double precision, "price_per_lb" double precision, "price_per_sqft" double precision, "source" character varying(512), "notes" text, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_81e8c2cfbbeebeba9c9f849aec5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_material_price_history_material_type" ON "material_price_history" ("material_type")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_price_history_observation" ON "material_price_history" ("shop_id", "material_type", "supplier", "price_date", "price_per_foot", "price_per_lb", "price_per_sqft") NULLS NOT DISTINCT`,
    );

    await queryRunner.query(`ALTER TABLE "quotes" ADD "user_id" integer`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "session_id" uuid`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "inputs_json" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "outputs_json" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "selected_markup_pct" integer NOT NULL DEFAULT '15'`);
    await queryRunner.query(`ALTER TABLE "quotes" ADD "pdf_url" character varying(2048)`);
    await queryRunner.query(`ALTER TABLE "quotes" ALTER COLUMN "job_type" TYPE character varying USING lower("job_type"::text)`);
    await queryRunner.query(`CREATE INDEX "IDX_quotes_user_id_id" ON "quotes" ("user_id", "id")`);

    await queryRunner.query(`ALTER TABLE "material_prices" ADD "supplier" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "material_prices" ADD "price_date" date`);
    await queryRunner.query(`ALTER TABLE "material_prices" ADD "source" character varying(512)`);
    await queryRunner.query(`ALTER TABLE "material_prices" ADD "shop_id" integer`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP CONSTRAINT "material_prices_material_type_key"`);
    await queryRunner.query(
      `ALTER TABLE "material_prices" ALTER COLUMN "material_type" TYPE character varying USING lower("material_type"::text)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_material_prices_current" ON "material_prices" ("shop_id", "material_type", "supplier") NULLS NOT DISTINCT`,
    );

    await queryRunner.query(
      `ALTER TABLE "auth_tokens" ADD CONSTRAINT "FK_9691367d446cd8b18f462c191b3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quote_sessions" ADD CONSTRAINT "FK_f83a2d82dd62eab593cb7ae5a66" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quotes" ADD CONSTRAINT "FK_adc561cc8195c80ec2eee9cee47" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quotes" ADD CONSTRAINT "FK_2a1a9f328079970d52f2a6b28e2" FOREIGN KEY ("session_id") REFERENCES "quote_sessions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "historical_actuals" ADD CONSTRAINT "FK_4a2fcc7d4a1cc5956d3912d7794" FOREIGN KEY ("quote_id") REFERENCES "quotes"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "historical_actuals" ADD CONSTRAINT "FK_492622e52e9524e1528a72a6383" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "material_price_history" ADD CONSTRAINT "FK_9054d35674157aab5e29deac6c0" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "material_prices" ADD CONSTRAINT "FK_fb63c0c8df8fd836d5916ee72ee" FOREIGN KEY ("shop_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  /** v2 rows the v1 schema cannot hold stop the revert with an error instead of being deleted. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await refuseIfAny(
      queryRunner,
      `SELECT id FROM "material_prices" WHERE upper("material_type") NOT IN (SELECT unnest(enum_range(NULL::materialtype))::text)
         OR "material_type" IN (SELECT "material_type" FROM "material_prices" GROUP BY "material_type" HAVING count(*) > 1)`,
      'material_prices rows whose material_type is not a v1 material or appears more than once',
    );
    await refuseIfAny(
      queryRunner,
      `SELECT id FROM "quotes" WHERE upper("job_type") NOT IN (SELECT unnest(enum_range(NULL::jobtype))::text)`,
      'quotes whose job_type is not a v1 job type',
    );

    await queryRunner.query(`ALTER TABLE "material_prices" DROP CONSTRAINT "FK_fb63c0c8df8fd836d5916ee72ee"`);
    await queryRunner.query(`ALTER TABLE "material_price_history" DROP CONSTRAINT "FK_9054d35674157aab5e29deac6c0"`);
    await queryRunner.query(`ALTER TABLE "historical_actuals" DROP CONSTRAINT "FK_492622e52e9524e1528a72a6383"`);
    await queryRunner.query(`ALTER TABLE "historical_actuals" DROP CONSTRAINT "FK_4a2fcc7d4a1cc5956d3912d7794"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP CONSTRAINT "FK_2a1a9f328079970d52f2a6b28e2"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP CONSTRAINT "FK_adc561cc8195c80ec2eee9cee47"`);
    await queryRunner.query(`ALTER TABLE "quote_sessions" DROP CONSTRAINT "FK_f83a2d82dd62eab593cb7ae5a66"`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP CONSTRAINT "FK_9691367d446cd8b18f462c191b3"`);

    await queryRunner.query(`DROP INDEX "UQ_material_prices_current"`);
    await queryRunner.query(
      `ALTER TABLE "material_prices" ALTER COLUMN "material_type" TYPE materialtype USING upper("material_type")::materialtype`,
    );
    await queryRunner.query(`ALTER TABLE "material_prices" ADD CONSTRAINT "material_prices_material_type_key" UNIQUE ("material_type")`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "shop_id"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "source"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "price_date"`);
    await queryRunner.query(`ALTER TABLE "material_prices" DROP COLUMN "supplier"`);

    await queryRunner.query(`DROP INDEX "IDX_quotes_user_id_id"`);
    await queryRunner.query(`ALTER TABLE "quotes" ALTER COLUMN "job_type" TYPE jobtype USING upper("job_type")::jobtype`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "pdf_url"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "selected_markup_pct"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "outputs_json"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "inputs_json"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "session_id"`);
    await queryRunner.query(`ALTER TABLE "quotes" DROP COLUMN "user_id"`);

    for (const table of ['material_price_history', 'historical_actuals', 'quote_sessions', 'hardware_items', 'auth_tokens', 'users']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

async function refuseIfAny(queryRunner: QueryRunner, idQuery: string, what: string): Promise<void> {
  const rows: { id: number }[] = await queryRunner.query(idQuery);
  if (rows.length > 0) {
    throw new Error(`Cannot revert to v1: ${what} (ids ${rows.map((row) => row.id).join(', ')}). Move or remove them first.`);
  }
}
