import { Module } from '@nestjs/common';

import { MailService } from './mail.service';
import { MailOutboxRepository } from './mail-outbox.repository';

/** The outbox and the sender inside the app (not in the seeder, which sends no mail). */
@Module({ providers: [MailOutboxRepository, MailService], exports: [MailService] })
export class MailModule {}
