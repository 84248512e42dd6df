/** A QueryRunner (one connection, in a transaction: the seeder) or an EntityManager (the API). */
export interface SqlClient {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}
