import { ValueTransformer } from 'typeorm';

/** PostgreSQL returns NUMERIC as a string to keep its precision; money columns here fit a JS number exactly. */
export const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
