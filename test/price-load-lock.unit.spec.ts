import { MaterialPricesRepository, ScopeBusyError } from '../src/material-prices/material-prices.repository';

/** A database whose load lock another load holds for the first `busyAnswers` asks. */
function lockHeldFor(busyAnswers: number) {
  const asked: unknown[][] = [];
  const sql = {
    async query<T>(text: string, parameters: unknown[] = []): Promise<T> {
      asked.push([text, ...parameters]);
      return [{ locked: asked.length > busyAnswers }] as T;
    },
  };
  return { repository: new MaterialPricesRepository(), sql, asked };
}

describe('the load lock of a scope', () => {
  it('asks again until the other load lets go, without blocking in the database', async () => {
    const { repository, sql, asked } = lockHeldFor(3);
    await repository.lockScopeForLoad(sql, 42, 60_000);
    expect(asked).toHaveLength(4);
    expect(asked.every(([text]) => /pg_try_advisory_xact_lock/.test(text as string))).toBe(true);
    expect(asked[0].slice(1)).toEqual([7301, 42]);
  });

  it('gives up with a 409 naming the wait once the other load holds on past it', async () => {
    const { repository, sql, asked } = lockHeldFor(Number.POSITIVE_INFINITY);
    const refused = repository.lockScopeForLoad(sql, null, 120);
    await expect(refused).rejects.toThrow(ScopeBusyError);
    await expect(refused).rejects.toThrow(
      'Another load of the shared baseline is still running after 0.12 s; try again once it has finished',
    );
    expect(asked.length).toBeGreaterThan(1);
    await expect(refused).rejects.toMatchObject({ status: 409 });
  });
});
