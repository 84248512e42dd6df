import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../auth/rate-limit/rate-limit.module';
import { MailModule } from '../mail/mail.module';
import { QuotesModule } from '../quotes/quotes.module';
import { UsersModule } from '../users/users.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { LinkTokensRepository } from './link-tokens.repository';

@Module({
  imports: [AuthModule, UsersModule, QuotesModule, MailModule, RateLimitModule],
  controllers: [AccountsController],
  providers: [AccountsService, LinkTokensRepository],
})
export class AccountsModule {}
