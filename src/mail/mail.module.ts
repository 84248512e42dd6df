import { Module } from '@nestjs/common';

import { MailOutboxRepository } from './mail-outbox.repository';
import { MailService } from './mail-sender.service';

/** The outbox and the sender inside the app (not in the seeder, which sends no mail). */
@Module({ providers: [MailOutboxRepository, MailService], exports: [MailService] })
export class MailModule {}
