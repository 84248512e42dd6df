import { ServiceUnavailableException } from '@nestjs/common';

import { ScopeBusyError } from '../src/material-prices/material-prices.repository';
import { LoadSlots } from '../src/price-loads/load-slots';

const LONG_WAIT_MS = 60_000;
const SHORT_WAIT_MS = 50;

/** Lets every settled promise run on: what could start has started. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Loads that run until the test lets each of them finish, writing when they start and end. */
function loads() {
  const log: string[] = [];
  const finishers = new Map<string, () => void>();
  const load = (name: string) => async () => {
    log.push(`${name} starts`);
    await new Promise<void>((resolve) => finishers.set(name, resolve));
    log.push(`${name} ends`);
    return name;
  };
  const finish = async (name: string) => {
    finishers.get(name)!();
    await settle();
  };
  return { log, load, finish };
}

const guest = (shopId: number) => ({ shopId, guest: true });
const shop = (shopId: number | null) => ({ shopId, guest: false });

describe('the load slots of a server', () => {
  it("gives guests' previews one slot between them, while registered shops start at once", async () => {
    // Three slots: one for guests, two for shops.
    const slots = new LoadSlots(3, LONG_WAIT_MS);
    const { log, load, finish } = loads();
    const running = [
      slots.run(guest(1), load('guest 1')),
      slots.run(guest(2), load('guest 2')),
      slots.run(guest(3), load('guest 3')),
      slots.run(shop(4), load('shop 4')),
      slots.run(shop(5), load('shop 5')),
    ];
    await settle();
    expect(log).toEqual(['guest 1 starts', 'shop 4 starts', 'shop 5 starts']);

    await finish('guest 1');
    expect(log.slice(3)).toEqual(['guest 1 ends', 'guest 2 starts']);
    await finish('guest 2');
    await finish('guest 3');
    await finish('shop 4');
    await finish('shop 5');
    expect(await Promise.all(running)).toEqual(['guest 1', 'guest 2', 'guest 3', 'shop 4', 'shop 5']);
  });

  it("queues a shop's loads apart from the slots: another shop takes the free slot at once", async () => {
    const slots = new LoadSlots(3, LONG_WAIT_MS);
    const { log, load, finish } = loads();
    const running = [
      slots.run(shop(1), load('shop 1, first')),
      slots.run(shop(1), load('shop 1, second')),
      slots.run(shop(2), load('shop 2')),
    ];
    await settle();
    expect(log).toEqual(['shop 1, first starts', 'shop 2 starts']);

    await finish('shop 1, first');
    expect(log.slice(2)).toEqual(['shop 1, first ends', 'shop 1, second starts']);
    await finish('shop 1, second');
    await finish('shop 2');
    await Promise.all(running);
  });

  it("answers 503 naming the wait to a guest who waited that long for the guests' slot; shops still start", async () => {
    const slots = new LoadSlots(3, SHORT_WAIT_MS);
    const { log, load, finish } = loads();
    const first = slots.run(guest(1), load('guest 1'));
    const refused = slots.run(guest(2), load('guest 2'));
    await expect(refused).rejects.toThrow(ServiceUnavailableException);
    await expect(refused).rejects.toThrow(
      "Guests' previews share one load slot, and other guests' previews kept it busy for 0.05 s; try again shortly, or register the shop",
    );
    const registered = slots.run(shop(3), load('shop 3'));
    await settle();
    expect(log).toEqual(['guest 1 starts', 'shop 3 starts']);
    await finish('guest 1');
    await finish('shop 3');
    await Promise.all([first, registered]);
  });

  it("answers 503 naming the wait to a shop that waited that long behind other shops' loads", async () => {
    // Two slots: one for guests, one for shops.
    const slots = new LoadSlots(2, SHORT_WAIT_MS);
    const { load, finish } = loads();
    const first = slots.run(shop(1), load('shop 1'));
    const refused = slots.run(shop(2), load('shop 2'));
    await expect(refused).rejects.toThrow(ServiceUnavailableException);
    await expect(refused).rejects.toThrow(
      "Other shops' price loads kept every load slot of this server (1) busy for 0.05 s; try again shortly",
    );
    await finish('shop 1');
    await first;
  });

  it("answers 409, as the scope's lock does, to a load that waited that long behind its own scope's load", async () => {
    const slots = new LoadSlots(3, SHORT_WAIT_MS);
    const { log, load, finish } = loads();
    const first = slots.run(shop(null), load('baseline, first'));
    const refused = slots.run(shop(null), load('baseline, second'));
    await expect(refused).rejects.toThrow(ScopeBusyError);
    await expect(refused).rejects.toThrow(
      'Another load of the shared baseline is still running after 0.05 s; try again once it has finished',
    );
    await finish('baseline, first');
    await first;
    // The scope's queue is free again: the next load of the scope starts at once.
    const next = slots.run(shop(null), load('baseline, third'));
    await settle();
    expect(log).toEqual(['baseline, first starts', 'baseline, first ends', 'baseline, third starts']);
    await finish('baseline, third');
    await next;
  });
});
