import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { QuoteSession } from '../database/entities';
import { JobTypesController } from './job-types.controller';
import { QuoteSessionsController } from './quote-sessions.controller';
import { QuoteSessionsService } from './quote-sessions.service';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

@Module({
  imports: [TypeOrmModule.forFeature([QuoteSession])],
  controllers: [JobTypesController, QuotesController, QuoteSessionsController],
  providers: [QuotesService, QuoteSessionsService],
  exports: [QuoteSessionsService],
})
export class QuotesModule {}
