import { MAPPINGS_FILE_NAME } from '../price-loads/source-files';

/** What one run of the seeder does. */
export interface SeedOptions {
  /** Folder of price files (SEED_FILE_FORMATS), relative to the working directory. */
  directory: string;
  /** `--dir` was given: a missing folder is then an error, not "nothing to load". */
  directoryGiven: boolean;
  /** `--mappings FILE`: the owner's mappings, instead of the folder's mappings.json. */
  mappingsFile: string | null;
  /** `--report FILE`: also write the whole report there as JSON. */
  reportFile: string | null;
  /** Read, validate and report everything; write nothing. */
  dryRun: boolean;
  /** Load the prices as this shop's own; null loads them into the shared baseline. */
  shopEmail: string | null;
}

export const DEFAULT_SEED_DIRECTORY = 'data/raw';

export const SEED_USAGE = `Usage: seed [--dir DIR] [--dry-run] [--shop EMAIL] [--mappings FILE] [--report FILE]
  --dir DIR        folder of files to load (default ${DEFAULT_SEED_DIRECTORY}); its ${MAPPINGS_FILE_NAME} is applied first
                   .json  records in the canonical format or a supplier export's shape (data/README.md)
                   .csv   a price table with a header row: ",", ";" (decimal commas), tab or "|" separated
                   .xlsx  an Excel workbook: every sheet with a header row, read like a .csv file
                   examples to try: --dir data/examples --dry-run
  --dry-run        read, check and report what would change, without writing anything
  --shop EMAIL     load the prices as this shop's own instead of the shared baseline
  --mappings FILE  the owner's mappings (suppliers, materials, ignore) instead of the folder's ${MAPPINGS_FILE_NAME}
  --report FILE    also write the whole report as JSON to FILE
With the Nest CLI, put these after "--": nest start --entryFile seed -- --dry-run
Exit code: 0 everything loaded, 2 some records rejected (listed), 1 the seeder could not run.`;

/** A command line the seeder does not understand (exit code 1, with the usage). */
export class SeedUsageError extends Error {
  override readonly name = 'SeedUsageError';
}

/** `--dir x`, `--dir=x`, `--dry-run`, `--shop x`, `--mappings x`, `--report x`, `--help`; `--` (as npm and nest pass it) is skipped. */
export function parseSeedArguments(argv: readonly string[]): SeedOptions | 'help' {
  const options: SeedOptions = {
    directory: DEFAULT_SEED_DIRECTORY,
    directoryGiven: false,
    mappingsFile: null,
    reportFile: null,
    dryRun: false,
    shopEmail: null,
  };
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const given = inlineValue ?? args.shift();
      if (given === undefined || given.trim() === '' || (inlineValue === undefined && given.startsWith('--')))
        throw new SeedUsageError(`${flag} needs a value`);
      return given.trim();
    };
    switch (flag) {
      case '--':
        break;
      case '--help':
      case '-h':
        return 'help';
      case '--dir':
        options.directory = value();
        options.directoryGiven = true;
        break;
      case '--mappings':
        options.mappingsFile = value();
        break;
      case '--report':
        options.reportFile = value();
        break;
      case '--shop':
        options.shopEmail = value();
        break;
      case '--dry-run':
        if (inlineValue !== undefined) throw new SeedUsageError('--dry-run takes no value');
        options.dryRun = true;
        break;
      default:
        throw new SeedUsageError(`Unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}
