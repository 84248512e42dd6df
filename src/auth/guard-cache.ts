import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { User } from '../database/entities';
import { type RowChange, RowChangesService, type RowChangeSubscriber } from '../database/notifications/row-changes.service';
import { MetricsService } from '../metrics/metrics.service';

interface CachedFamily {
  userId: number;
  expiresAt: number;
}

export interface ReadTicket {
  generation: number;
}

// Bounded by count as well as by time, so that a flood of distinct sessions cannot grow the heap; 10,000 take a few MB.
const MAX_ENTRIES = 10_000;

/**
 * An entry is dropped the moment its row changes (RowChangesService) and after AUTH_CACHE_SECONDS; nothing is
 * answered or stored while the feed is not live. Every change moves the generation on, and a read stores only when
 * the generation it began in is still current.
 */
@Injectable()
export class GuardCache implements RowChangeSubscriber {
  private readonly users: LRUCache<number, User> | null;
  private readonly families: LRUCache<string, CachedFamily> | null;
  private generation = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly rowChanges: RowChangesService,
    private readonly metrics: MetricsService,
  ) {
    const ttl = config.jwt.guardCacheSeconds * 1000;
    this.users = ttl > 0 ? new LRUCache({ max: MAX_ENTRIES, ttl }) : null;
    this.families = ttl > 0 ? new LRUCache({ max: MAX_ENTRIES, ttl }) : null;
    if (ttl > 0) rowChanges.subscribe(this);
  }

  find(userId: number, familyId: string): User | undefined {
    if (!this.users || !this.families || !this.rowChanges.isLive) {
      this.metrics.guardLookups.inc({ result: 'off' });
      return undefined;
    }
    const family = this.families.get(familyId);
    const user = family && family.userId === userId && family.expiresAt > Date.now() ? this.users.get(userId) : undefined;
    this.metrics.guardLookups.inc({ result: user ? 'hit' : 'miss' });
    return user && copyOf(user);
  }

  beginRead(): ReadTicket {
    return { generation: this.generation };
  }

  remember(ticket: ReadTicket, familyId: string, user: User, familyExpiresAt: Date): void {
    if (!this.users || !this.families || !this.rowChanges.isLive || ticket.generation !== this.generation) return;
    this.users.set(user.id, copyOf(user));
    this.families.set(familyId, { userId: user.id, expiresAt: familyExpiresAt.getTime() });
  }

  rowChanged(change: RowChange | null): void {
    this.generation++;
    if (change === null || change.id === null) {
      if (change === null || change.table === 'users') this.users?.clear();
      if (change === null || change.table === 'refresh_families') this.families?.clear();
    } else if (change.table === 'users') {
      this.users?.delete(Number(change.id));
    } else if (change.table === 'refresh_families') {
      this.families?.delete(change.id);
    }
  }
}

/** Whatever a request does to its user stays with that request. */
function copyOf(user: User): User {
  return Object.assign(Object.create(Object.getPrototypeOf(user) as object) as User, user);
}
