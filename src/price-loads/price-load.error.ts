/** The load could not run at all (exit code 1; 400 through the API): an unreadable folder or file, an unknown shop. */
export class PriceLoadError extends Error {
  override readonly name: string = 'PriceLoadError';
}

/** The load asked for more than a limit allows (exit code 1; 413 through the API). */
export class PriceLoadLimitError extends PriceLoadError {
  override readonly name = 'PriceLoadLimitError';
}
