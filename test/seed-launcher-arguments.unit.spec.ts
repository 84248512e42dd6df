import {
  droppedOptionsMessage,
  dryRunTakenByNpm,
  optionsDroppedByNestStart,
  seedOptionsDroppedByNestStart,
} from '../src/seed/launcher-arguments';

const NEST = ['/usr/bin/node', '/work/app/node_modules/@nestjs/cli/bin/nest.js'];
const nestStart = (...args: string[]) => optionsDroppedByNestStart([...NEST, 'start', ...args]);

describe('optionsDroppedByNestStart: what a nest start command line typed for the seeder but did not pass on', () => {
  it('finds the options typed before "--", which the Nest CLI drops', () => {
    expect(nestStart('--entryFile', 'seed', '--dry-run')).toEqual(['--dry-run']);
    expect(nestStart('--dry-run', '--entryFile', 'seed', '--dir', 'data/x', '--shop', 'a@b.test')).toEqual([
      '--dry-run',
      '--dir',
      'data/x',
      '--shop',
      'a@b.test',
    ]);
    expect(nestStart('--entryFile', 'seed', '--dir=x', '--mappings', 'm.json', '--report=r.json')).toEqual([
      '--dir=x',
      '--mappings',
      'm.json',
      '--report=r.json',
    ]);
  });

  it('drops nothing when the seeder options follow "--"', () => {
    expect(nestStart('--entryFile', 'seed', '--', '--dry-run', '--dir', 'x')).toEqual([]);
    expect(nestStart('--entryFile', 'seed', '--dry-run', '--', '--dir', 'x')).toEqual(['--dry-run']);
  });

  it("does not count the Nest CLI's own options and their values", () => {
    expect(
      nestStart('--entryFile', 'seed', '-c', 'nest-cli.json', '--watch', '-p', 'tsconfig.build.json', '--debug', '--no-shell'),
    ).toEqual([]);
    expect(nestStart('--entryFile=seed', '--env-file', '.env', '--exec', 'node', '--preserveWatchOutput', '-w')).toEqual([]);
    // An optional value is only taken when it does not look like an option, as the CLI parses it.
    expect(nestStart('--entryFile', 'seed', '--debug', '--dry-run')).toEqual(['--dry-run']);
  });

  it('reports any other spelling of a dry run, and a stray word', () => {
    for (const typed of ['--dryrun', '--dry', '--dry_run', '--dryRun', '-n'])
      expect(nestStart('--entryFile', 'seed', typed)).toEqual([typed]);
    expect(nestStart('--entryFile', 'seed', 'dry-run')).toEqual(['dry-run']);
  });

  it('recognises the CLI run as a bin script or through npx', () => {
    expect(optionsDroppedByNestStart(['node', '/work/app/node_modules/.bin/nest', 'start', '--entryFile', 'seed', '--dry-run'])).toEqual([
      '--dry-run',
    ]);
    expect(optionsDroppedByNestStart(['node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'nest', 'start', '--dry-run'])).toEqual([
      '--dry-run',
    ]);
  });

  it('finds nothing in a command line that is not nest start', () => {
    expect(optionsDroppedByNestStart(['/bin/sh', '-c', 'node --enable-source-maps dist/seed "--dry-run"'])).toEqual([]);
    expect(optionsDroppedByNestStart(['node', 'dist/seed.js', '--dry-run'])).toEqual([]);
    expect(optionsDroppedByNestStart([...NEST, 'build', '--dry-run'])).toEqual([]);
    expect(optionsDroppedByNestStart([])).toEqual([]);
  });
});

describe('droppedOptionsMessage', () => {
  it("names the dropped options and suggests the command with the user's own options after --", () => {
    expect(droppedOptionsMessage(['--dry-run'], [])).toBe(
      'nest start passed none of these options to the seeder: --dry-run. Nothing was loaded. ' +
        'Put the seeder\'s options after "--": nest start --entryFile seed -- --dry-run',
    );
    expect(droppedOptionsMessage(['--dry-run', '--dir', 'my prices'], ['--shop', "o'neil@shop.test"])).toMatch(
      /nest start --entryFile seed -- --dry-run --dir 'my prices' --shop 'o'\\''neil@shop.test'$/,
    );
  });
});

describe('seedOptionsDroppedByNestStart', () => {
  it('finds nothing when the process was not launched by nest start', () => {
    expect(seedOptionsDroppedByNestStart()).toEqual([]);
  });
});

describe('dryRunTakenByNpm', () => {
  it('tells when npm kept a --dry-run typed without "--" as its own setting', () => {
    expect(dryRunTakenByNpm({ npm_config_dry_run: 'true' })).toBe(true);
    expect(dryRunTakenByNpm({ npm_config_dry_run: 'false' })).toBe(false);
    expect(dryRunTakenByNpm({})).toBe(false);
  });
});
