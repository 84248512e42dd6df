/**
 * What a repository needs to run SQL: a QueryRunner (one connection, inside a transaction: the seeder) or an
 * EntityManager (the API). Rows come back as the driver gives them; the caller names their shape as `T`.
 */
export interface SqlClient {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}
