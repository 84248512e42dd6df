/** Null counts as a value; absent properties stay as they are. */
export function withoutAbsent<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
