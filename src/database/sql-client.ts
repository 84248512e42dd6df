/** What runs SQL: the pool (`DatabaseService.pool`), a transaction, or the one connection a price load holds. */
export interface SqlClient {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}
