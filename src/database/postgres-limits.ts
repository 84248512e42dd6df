/** The largest PostgreSQL `integer` (int4): an id beyond it cannot exist, and comparing with one is an error. */
export const POSTGRES_INT_MAX = 2_147_483_647;
