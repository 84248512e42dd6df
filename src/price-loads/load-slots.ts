import { ServiceUnavailableException } from '@nestjs/common';
import { Mutex, Semaphore, withTimeout } from 'async-mutex';

import { ScopeBusyError } from '../material-prices/material-prices.repository';

export interface LoadOwner {
  shopId: number | null;
  guest: boolean;
}

interface ScopeQueue {
  queue: Mutex;
  loads: number;
}

/** Guests' previews share one slot; a scope's loads queue before taking a slot, so one shop holds one at a time. */
export class LoadSlots {
  private readonly guestSlot = new Semaphore(1);
  private readonly shopSlots: Semaphore;
  private readonly shopSlotCount: number;
  private readonly scopes = new Map<number | null, ScopeQueue>();

  constructor(
    slots: number,
    private readonly waitMs: number,
  ) {
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
