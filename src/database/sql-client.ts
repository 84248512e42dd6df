/**
 * What a repository needs to run SQL: a QueryRunner (one connection, inside a transaction: the seeder) or an
 * EntityManager (the API). Rows come back as the driver gives them.
 */
export interface SqlClient {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}
