/** The seeder could not run at all (exit code 1): an unreadable folder, an unknown shop. */
export class SeedRunError extends Error {
  override readonly name = 'SeedRunError';
}
