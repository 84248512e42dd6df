import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { User } from '../database/entities';
import { UsersService } from './users.service';

/** Shop accounts: lookup, creation, the guest claim and the profile. Routes live in AuthModule (/api/auth/...). */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
