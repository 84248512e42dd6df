import { V1_TABLES } from '../../src/migrations/1764201600000-V1Baseline';
import type { TestDatabase } from './test-database';

/** Columns, constraints and indexes of `tables`, in a stable order, for comparing two schemas. */
export async function schemaSnapshot(db: TestDatabase, tables: string[]): Promise<unknown> {
  const columns = await db.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, ordinal_position
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1)
      ORDER BY table_name, ordinal_position`,
    [tables],
  );
  const constraints = await db.query(
    `SELECT rel.relname AS table_name, con.conname, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
      WHERE rel.relname = ANY($1) ORDER BY rel.relname, con.conname`,
    [tables],
  );
  const indexes = await db.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1)
      ORDER BY tablename, indexname`,
    [tables],
  );
  const enums = await db.query(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
  );
  return { columns, constraints, indexes, enums };
}

/** Every row of every v1 table, ordered by id, as JSON text so values compare exactly. */
export async function v1Rows(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of V1_TABLES) {
    rows[table] = await db.query(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY id`);
  }
  return rows;
}
