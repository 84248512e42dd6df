import { Module } from '@nestjs/common';

import { QuotesRepository } from '../quotes/quotes.repository';
import { UsersModule } from '../users/users.module';
import { PriceLoadService } from './price-load.service';
import { SourceReaderPool } from './source-reader-pool';

// DECISION: the load takes QuotesRepository as a provider of its own rather than importing QuotesModule, whose
// controllers the seeder command has no use for; the repository holds no state, so two instances are one behaviour.
@Module({ imports: [UsersModule], providers: [PriceLoadService, SourceReaderPool, QuotesRepository], exports: [PriceLoadService] })
export class PriceLoadsModule {}
