import { DynamicModule, Module } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';
import { PriceLoadsModule } from '../price-loads/price-loads.module';
import { UsersModule } from '../users/users.module';
import { SeederService } from './seeder.service';

/** The seeder command. */
@Module({ imports: [PriceLoadsModule, UsersModule], providers: [SeederService] })
export class SeedModule {
  /** The seeder command on the app's own configuration and database wiring; `config` is given by tests. */
  static forRoot(config?: AppConfig): DynamicModule {
    return { module: SeedModule, imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot()] };
  }
}
