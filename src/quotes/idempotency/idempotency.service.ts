import { ConflictException, HttpStatus, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import { DatabaseService } from '../../database/database.service';
import type { SqlClient } from '../../database/sql-client';
import { enforceDailyQuota } from '../daily-quota';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import type { IdempotentRequest } from './idempotent-request';

const LOCK_NOT_AVAILABLE = '55P03';

/** The key is claimed in the write's own transaction, so it exists only with its answer; a failure leaves nothing. */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly database: DatabaseService,
    private readonly keys: IdempotencyKeysRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  once<T extends object>(
    shopId: number,
    request: IdempotentRequest | undefined,
    status: HttpStatus,
    work: (sql: SqlClient) => Promise<T>,
  ): Promise<T> {
    if (!request) return this.database.transaction(work);
    // DECISION: a keyed request waits for a lock up to half the statement timeout, then 409: a retry is the answer,
    // and the wait ends before the statement's own timeout.
    const waitMs = Math.ceil(this.config.database.statementTimeoutMs / 2);
    return this.database
      .transaction(async (sql) => {
        const { idempotencyKeysPerDay: keys, idempotencyBytesPerDay: bytes } = this.config.quotas;
        const claim = await this.keys.claim(sql, shopId, request.key, request.fingerprint, waitMs, { keys, bytes });
        if (claim.kind === 'full')
          enforceDailyQuota(
            { count: keys, oldest: claim.oldest },
            keys,
            'Idempotency-Keys or stored answers (QUOTA_IDEMPOTENCY_KEYS_PER_DAY, QUOTA_IDEMPOTENCY_BYTES_PER_DAY)',
          );
        if (claim.kind === 'stored') {
          if (claim.answer.fingerprint !== request.fingerprint)
            throw new UnprocessableEntityException('This Idempotency-Key was used with another request; use a new key for a new request');
          return claim.answer.response as T;
        }
        const answer = await work(sql);
        await this.keys.record(sql, shopId, request.key, status, answer);
        return answer;
      })
      .catch(busyAsConflict);
  }
}

function busyAsConflict(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === LOCK_NOT_AVAILABLE)
    throw new ConflictException(
      'A request with this Idempotency-Key (or another change of the same rows) is still being answered; retry it',
    );
  throw error;
}
