import { DynamicModule, Module } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { SeedService } from './seed.service';

/** The price load of the seeder; the app imports it for imports through the API. */
@Module({ providers: [SeedService], exports: [SeedService] })
export class SeedModule {
  /** The seeder command on the app's own configuration and database wiring; `config` is given by tests. */
  static forRoot(config?: AppConfig): DynamicModule {
    return { module: SeedModule, imports: [ConfigModule.forRoot(config), DatabaseModule] };
  }
}
