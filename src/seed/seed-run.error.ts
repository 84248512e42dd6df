/** The seeder could not run at all (exit code 1): an unreadable folder, an unknown shop. */
export class SeedRunError extends Error {
  override readonly name: string = 'SeedRunError';
}

/** The load asked for more than a limit allows (exit code 1; 413 through the API). */
export class SeedLimitError extends SeedRunError {
  override readonly name = 'SeedLimitError';
}
