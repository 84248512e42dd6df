/** The largest PostgreSQL `integer`: comparing with a larger one is an error. */
export const POSTGRES_INT_MAX = 2_147_483_647;

export function isRowId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= POSTGRES_INT_MAX;
}
