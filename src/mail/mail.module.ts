import { Module } from '@nestjs/common';

import { MailService } from './mail.service';
import { MailOutboxRepository } from './mail-outbox.repository';

/** Not in the seeder, which sends no mail. */
@Module({ providers: [MailOutboxRepository, MailService], exports: [MailService] })
export class MailModule {}
