import { Module } from '@nestjs/common';

import { UsersModule } from '../users/users.module';
import { IdempotencyService } from './idempotency/idempotency.service';
import { IdempotencyKeysRepository } from './idempotency/idempotency-keys.repository';
import { JobTypesController } from './job-types.controller';
import { QuoteSessionsController } from './quote-sessions.controller';
import { QuoteSessionsService } from './quote-sessions.service';
import { QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';

@Module({
  imports: [UsersModule],
  controllers: [JobTypesController, QuotesController, QuoteSessionsController],
  providers: [QuotesRepository, QuotesService, QuoteSessionsService, IdempotencyService, IdempotencyKeysRepository],
  exports: [QuotesRepository, QuoteSessionsService],
})
export class QuotesModule {}
