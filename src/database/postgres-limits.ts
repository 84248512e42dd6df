/** The largest PostgreSQL `integer` (int4): an id beyond it cannot exist, and comparing with one is an error. */
export const POSTGRES_INT_MAX = 2_147_483_647;

/** Can `id` name a row of a SERIAL column? Anything else names none, and must not reach SQL as an integer. */
export function isRowId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= POSTGRES_INT_MAX;
}
