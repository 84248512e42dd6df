import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

export const V1_TABLES = ['customers', 'process_rates', 'material_prices', 'quotes', 'quote_line_items'];

/** On a v1 database (these tables, no migrations table) this migration adopts what is there. */
export class V1Baseline1764201600000 implements MigrationInterface {
  name = 'V1Baseline1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const present = await presentV1Tables(queryRunner);
    if (present.length === V1_TABLES.length) {
      new Logger('Migrations').log('Existing v1 database found: the v1 baseline is adopted as applied');
      return;
    }
    if (present.length > 0) {
      throw new Error(
        `Found only part of the v1 schema (${present.join(', ')}); refusing to guess. Restore the full v1 database or start from an empty one.`,
      );
    }
    await queryRunner.query(`CREATE TYPE quotestatus AS ENUM ('DRAFT', 'SENT', 'ACCEPTED', 'DECLINED')`);
    await queryRunner.query(
      `CREATE TYPE jobtype AS ENUM ('STRUCTURAL', 'ARCHITECTURAL', 'SIGNAGE', 'LED_INTEGRATION', 'SCULPTURE', 'CUSTOM')`,
    );
    await queryRunner.query(
      `CREATE TYPE materialtype AS ENUM ('MILD_STEEL', 'STAINLESS_304', 'STAINLESS_316', 'ALUMINUM_6061', 'ALUMINUM_5052', 'DOM_TUBING', 'SQUARE_TUBING', 'ANGLE_IRON', 'FLAT_BAR', 'PLATE', 'CHANNEL')`,
    );
    await queryRunner.query(
      `CREATE TYPE processtype AS ENUM ('LAYOUT', 'CUTTING', 'CNC_PLASMA', 'CNC_ROUTER', 'WELDING', 'TIG_WELDING', 'GRINDING', 'DRILLING', 'BENDING', 'ASSEMBLY', 'DESIGN', 'FIELD_INSTALL', 'PROJECT_MANAGEMENT', 'POWDER_COAT', 'PAINT')`,
    );
    await queryRunner.query(`CREATE TABLE customers (
      id SERIAL NOT NULL, name VARCHAR NOT NULL, company VARCHAR, email VARCHAR, phone VARCHAR, address TEXT,
      notes TEXT, created_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id))`);
    await queryRunner.query(`CREATE INDEX ix_customers_id ON customers (id)`);
    await queryRunner.query(`CREATE TABLE process_rates (
      id SERIAL NOT NULL, process_type processtype NOT NULL, rate_per_hour FLOAT NOT NULL, description VARCHAR,
      updated_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id), UNIQUE (process_type))`);
    await queryRunner.query(`CREATE INDEX ix_process_rates_id ON process_rates (id)`);
    await queryRunner.query(`CREATE TABLE material_prices (
      id SERIAL NOT NULL, material_type materialtype NOT NULL, price_per_lb FLOAT, price_per_sqft FLOAT,
      price_per_foot FLOAT, updated_at TIMESTAMP WITHOUT TIME ZONE, notes VARCHAR, PRIMARY KEY (id),
      UNIQUE (material_type))`);
    await queryRunner.query(`CREATE INDEX ix_material_prices_id ON material_prices (id)`);
    await queryRunner.query(`CREATE TABLE quotes (
      id SERIAL NOT NULL, quote_number VARCHAR NOT NULL, customer_id INTEGER, status quotestatus, job_type jobtype,
      project_description TEXT, notes TEXT, labor_rate FLOAT, waste_factor FLOAT, material_markup_pct FLOAT,
      stainless_multiplier FLOAT, contingency_pct FLOAT, profit_margin_pct FLOAT, markup FLOAT, subtotal FLOAT,
      total FLOAT, valid_days INTEGER, region VARCHAR, created_at TIMESTAMP WITHOUT TIME ZONE,
      updated_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id), UNIQUE (quote_number),
      FOREIGN KEY (customer_id) REFERENCES customers (id))`);
    await queryRunner.query(`CREATE INDEX ix_quotes_id ON quotes (id)`);
    await queryRunner.query(`CREATE TABLE quote_line_items (
      id SERIAL NOT NULL, quote_id INTEGER, description VARCHAR NOT NULL, material_type materialtype,
      process_type processtype, quantity FLOAT, unit VARCHAR, dim_length FLOAT, dim_width FLOAT,
      dim_thickness FLOAT, weight_lbs FLOAT, waste_factor FLOAT, material_cost FLOAT, labor_hours FLOAT,
      process_rate_override FLOAT, labor_cost FLOAT, outsourced BOOLEAN, outsource_service VARCHAR,
      outsource_rate_per_sqft FLOAT, sq_ft FLOAT, line_total FLOAT, notes TEXT, PRIMARY KEY (id),
      FOREIGN KEY (quote_id) REFERENCES quotes (id))`);
    await queryRunner.query(`CREATE INDEX ix_quote_line_items_id ON quote_line_items (id)`);
  }

  /**
   * DECISION: the v1 tables are dropped only while they hold no rows; a database with v1 data goes back to what it
   * was before the baseline adopted it: reverting must never delete a shop's data.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of V1_TABLES) {
      const [{ has_rows }] = await queryRunner.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS has_rows`);
      if (has_rows) {
        new Logger('Migrations').warn(`v1 table ${table} holds rows: the v1 schema is kept, only the baseline record goes`);
        return;
      }
    }
    for (const table of [...V1_TABLES].reverse()) await queryRunner.query(`DROP TABLE ${table}`);
    for (const type of ['processtype', 'materialtype', 'jobtype', 'quotestatus']) await queryRunner.query(`DROP TYPE ${type}`);
  }
}

async function presentV1Tables(queryRunner: QueryRunner): Promise<string[]> {
  const rows: { table_name: string }[] = await queryRunner.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [V1_TABLES],
  );
  return rows.map((row) => row.table_name);
}
