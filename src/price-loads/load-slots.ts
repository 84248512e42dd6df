import { ServiceUnavailableException } from '@nestjs/common';
import { Mutex, Semaphore, withTimeout } from 'async-mutex';

import { ScopeBusyError } from '../material-prices/material-prices.repository';

/** Whose load it is: its scope (a shop, or null for the shared baseline), and whether a guest asked for it. */
export interface LoadOwner {
  shopId: number | null;
  guest: boolean;
}

/** The loads of one scope in this process, running or waiting, in the order they came. */
interface ScopeQueue {
  queue: Mutex;
  loads: number;
}

/**
 * Which loads run at once in this process. A load holds a pooled connection from start to end, so loads together
 * hold at most `slots` connections. Guests' previews share one slot, however many guests send them; registered
 * shops keep the rest. Loads of one scope wait in a queue of their own before they take a slot, so a shop that
 * sends many imports holds one slot at a time and never stands between another shop and a free slot.
 * A load waits at most `waitMs` in this process: a 409 while its own scope's load still runs, a 503 while other
 * scopes' loads hold every slot of its kind.
 */
export class LoadSlots {
  private readonly guestSlot = new Semaphore(1);
  private readonly shopSlots: Semaphore;
  private readonly shopSlotCount: number;
  private readonly scopes = new Map<number | null, ScopeQueue>();

  constructor(
    slots: number,
    private readonly waitMs: number,
  ) {
    // DECISION: shops keep at least one slot of their own even when the pool allows loads a single one (fewer than
    // four connections): no number of guests may stop a registered shop's import, and such pools are for trials.
    this.shopSlotCount = Math.max(1, slots - 1);
    this.shopSlots = new Semaphore(this.shopSlotCount);
  }

  async run<T>(owner: LoadOwner, load: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    const scope = this.scopes.get(owner.shopId) ?? { queue: new Mutex(), loads: 0 };
    this.scopes.set(owner.shopId, scope);
    scope.loads += 1;
    try {
      return await withTimeout(scope.queue, this.waitMs, new ScopeBusyError(owner.shopId, this.waitMs)).runExclusive(() => {
        const [slots, busy] = owner.guest ? [this.guestSlot, this.guestsBusy()] : [this.shopSlots, this.shopsBusy()];
        return withTimeout(slots, Math.max(0, deadline - Date.now()), busy).runExclusive(load);
      });
    } finally {
      scope.loads -= 1;
      if (scope.loads === 0) this.scopes.delete(owner.shopId);
    }
  }

  private guestsBusy(): ServiceUnavailableException {
    return new ServiceUnavailableException(
      `Guests' previews share one load slot, and other guests' previews kept it busy for ${this.waitMs / 1000} s; try again shortly, or register the shop`,
    );
  }

  private shopsBusy(): ServiceUnavailableException {
    return new ServiceUnavailableException(
      `Other shops' price loads kept every load slot of this server (${this.shopSlotCount}) busy for ${this.waitMs / 1000} s; try again shortly`,
    );
  }
}
