import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { SeedService } from './seed.service';

/** The seeder on the app's own configuration and database wiring (same entities, same migrations). */
@Module({})
export class SeedModule {
  /** `config` is given by tests; the command validates the environment instead. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule],
      providers: [SeedService],
    };
  }
}
