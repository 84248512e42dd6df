import { ConflictException, HttpStatus, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

import { DatabaseService, type Transaction } from '../../database/database.service';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import type { IdempotentRequest } from './idempotent-request';

const LOCK_NOT_AVAILABLE = '55P03';
// DECISION: a duplicate waits up to 5 s for the request holding its key (a creation takes milliseconds), then 409:
// long enough that a retry storm gets the first answer, short enough that waiters do not pile up on the pool.
const DUPLICATE_WAIT_MS = 5000;

/**
 * Runs a write once per `Idempotency-Key`: the key is claimed in the write's own transaction and stored with its
 * answer, so a key exists only with the answer it got; a failed request leaves nothing and may be retried.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly database: DatabaseService,
    private readonly keys: IdempotencyKeysRepository,
  ) {}

  /** `work` in a transaction, or the stored answer of the same request; without a key, `work` alone. */
  once<T extends object>(
    shopId: number,
    request: IdempotentRequest | undefined,
    status: HttpStatus,
    work: (manager: Transaction) => Promise<T>,
  ): Promise<T> {
    return this.database.transaction(async (manager) => {
      if (!request) return work(manager);
      const earlier = await this.keys.claim(manager, shopId, request.key, request.fingerprint, DUPLICATE_WAIT_MS).catch(busyAsConflict);
      if (earlier) {
        if (earlier.fingerprint !== request.fingerprint)
          throw new UnprocessableEntityException('This Idempotency-Key was used with another request; use a new key for a new request');
        return earlier.response as T;
      }
      const answer = await work(manager);
      await this.keys.record(manager, shopId, request.key, status, answer);
      return answer;
    });
  }
}

function busyAsConflict(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === LOCK_NOT_AVAILABLE)
    throw new ConflictException('A request with this Idempotency-Key is still being answered; retry it');
  throw error;
}
