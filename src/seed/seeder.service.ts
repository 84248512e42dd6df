import { join, resolve } from 'node:path';

import { Injectable } from '@nestjs/common';

import { DatabaseService } from '../database/database.service';
import { emptyReport, type LoadReport } from '../price-loads/load-report';
import { PriceLoadError } from '../price-loads/price-load.error';
import { type LoadProgress, PriceLoadService } from '../price-loads/price-load.service';
import { formatOfFileName, listSourceFiles } from '../price-loads/source-files';
import { normalizeEmail } from '../users/email';
import { UsersRepository } from '../users/users.repository';
import type { SeedOptions } from './seed-options';

/** The seeder command's run: a folder's mappings and price files, loaded into the baseline or one shop. */
@Injectable()
export class SeederService {
  constructor(
    private readonly database: DatabaseService,
    private readonly loads: PriceLoadService,
    private readonly users: UsersRepository,
  ) {}

  async run(options: SeedOptions, onProgress: (progress: LoadProgress) => void = () => undefined): Promise<LoadReport> {
    const report = emptyReport({ dryRun: options.dryRun, shopEmail: options.shopEmail, directory: options.directory });
    const directory = resolve(options.directory);
    const shopId = options.shopEmail === null ? null : await this.findShop(options.shopEmail);
    const found = await listSourceFiles(directory);
    if (!found.exists && options.directoryGiven) throw new PriceLoadError(`The folder ${options.directory} does not exist`);
    const folder = found.exists ? found : { files: [], ignored: [], mappingsFile: null };
    report.ignoredFiles = folder.ignored;
    const mappingsPath = options.mappingsFile ?? (folder.mappingsFile === null ? null : join(options.directory, folder.mappingsFile));
    const mappingEntries = mappingsPath === null ? [] : await this.loads.readMappings(mappingsPath);
    if (mappingsPath !== null) report.mappings = { file: mappingsPath, entries: mappingEntries.length };
    if (folder.files.length === 0)
      report.nothingToLoad = found.exists ? `no .json, .csv or .xlsx files in ${options.directory}` : `${options.directory} does not exist`;
    if (folder.files.length === 0 && mappingsPath === null) return report;
    const files = folder.files.map((name) => ({ name, path: join(directory, name), format: formatOfFileName(name)! }));
    return (await this.loads.load({ report, shopId, files, mappingEntries, onProgress })).report;
  }

  private async findShop(email: string): Promise<number> {
    const shop = await this.users.findByEmail(this.database.pool, normalizeEmail(email));
    if (!shop)
      throw new PriceLoadError(
        `No shop account has the email ${email}: register the shop first, or leave out --shop to load the shared baseline`,
      );
    return shop.id;
  }
}
