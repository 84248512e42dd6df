import { Module } from '@nestjs/common';

import { QuotesRepository } from '../quotes/quotes.repository';
import { UsersModule } from '../users/users.module';
import { PriceLoadService } from './price-load.service';
import { SourceReaderPool } from './source-reader-pool';

@Module({ imports: [UsersModule], providers: [PriceLoadService, SourceReaderPool, QuotesRepository], exports: [PriceLoadService] })
export class PriceLoadsModule {}
