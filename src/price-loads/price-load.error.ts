export class PriceLoadError extends Error {
  override readonly name: string = 'PriceLoadError';
}

export class PriceLoadLimitError extends PriceLoadError {
  override readonly name = 'PriceLoadLimitError';
}
