import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

// The seeder runs under `sh -c` under the Nest CLI (or directly under it with --no-shell); npx/npm sit above.
const ANCESTORS_SEARCHED = 3;

// The options of `nest start` in @nestjs/cli 12 (commands/start.command.js): the CLI consumes these itself.
const NEST_START_OPTIONS_WITH_VALUE = new Set([
  '-c',
  '--config',
  '-p',
  '--path',
  '-b',
  '--builder',
  '-d',
  '--debug',
  '--webpackPath',
  '--rspackPath',
  '--sourceRoot',
  '--entryFile',
  '-e',
  '--exec',
  '--env-file',
]);
const NEST_START_FLAGS = new Set([
  '-w',
  '--watch',
  '--watchAssets',
  '--webpack',
  '--type-check',
  '--no-type-check',
  '--emit-declarations',
  '--silent',
  '--tsc',
  '--preserveWatchOutput',
  '--shell',
  '--no-shell',
  '-h',
  '--help',
]);

/**
 * What the `nest start` that launched this process was given for the seeder but did not pass on (the Nest CLI
 * passes only what follows `--`). [] when no `nest start` launched it, off Linux, or when /proc cannot tell.
 */
export function seedOptionsDroppedByNestStart(): string[] {
  // DECISION: read the launcher's command line from /proc: the Nest CLI hands its child nothing of what came
  // before `--` (no argument, no environment variable), and the seeder must refuse rather than write when
  // `nest start --entryFile seed --dry-run` silently dropped the dry run.
  try {
    let pid = process.ppid;
    for (let level = 0; level < ANCESTORS_SEARCHED && pid > 1; level++) {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
      if (nestStartArguments(commandLine)) return optionsDroppedByNestStart(commandLine);
      pid = parentOf(pid);
    }
  } catch {
    // Not Linux, or an ancestor that is gone or unreadable: nothing can be told.
  }
  return [];
}

/**
 * The arguments of a `nest start` command line (`node …/@nestjs/cli/bin/nest.js start …`, `nest start …`) that the
 * Nest CLI dropped: everything before the first `--` that is not one of its own options or their values.
 * Any other command line drops nothing.
 */
export function optionsDroppedByNestStart(commandLine: readonly string[]): string[] {
  const args = nestStartArguments(commandLine) ?? [];
  const end = args.indexOf('--');
  const typedBeforeSeparator = end === -1 ? args : args.slice(0, end);
  // DECISION: whatever is not the Nest CLI's own counts as dropped, not only the seeder's option names, so no
  // spelling of a dry run (--dryrun, --dry, --dry_run, dry-run) can slip through to a writing run. An unusual
  // spelling of a Nest option (-wc, -cFILE) is reported too: a loud refusal, never a silent write.
  const dropped: string[] = [];
  for (let index = 0; index < typedBeforeSeparator.length; index++) {
    const arg = typedBeforeSeparator[index];
    if (NEST_START_FLAGS.has(arg)) continue;
    if (NEST_START_OPTIONS_WITH_VALUE.has(arg)) {
      // As commander does for an optional value: the next argument, unless it looks like an option.
      const next = typedBeforeSeparator[index + 1];
      if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) index++;
      continue;
    }
    const [name] = arg.split('=', 1);
    if (arg.startsWith('--') && arg !== name && NEST_START_OPTIONS_WITH_VALUE.has(name)) continue;
    dropped.push(arg);
  }
  return dropped;
}

/**
 * Did npm take a dry run for itself? `npm run seed --dry-run` (without `--`) gives the script no argument and sets
 * npm's own `dry-run` setting, which npm passes on only as `npm_config_dry_run`.
 */
export function dryRunTakenByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_config_dry_run === 'true';
}

/** The error the seeder prints when npm took the dry run for itself. */
export const NPM_DRY_RUN_MESSAGE =
  'npm took --dry-run as its own setting and passed it on to nothing. Nothing was loaded. Put the seeder\'s options after "--": npm run seed -- --dry-run';

/** The error the seeder prints when `nest start` dropped `dropped`; `received` is what it did pass on. */
export function droppedOptionsMessage(dropped: readonly string[], received: readonly string[]): string {
  const intended = [...dropped, ...received.filter((arg) => arg !== '--')].map(shellQuoted).join(' ');
  return (
    `nest start passed none of these options to the seeder: ${dropped.join(' ')}. Nothing was loaded. ` +
    `Put the seeder's options after "--": nest start --entryFile seed -- ${intended}`
  );
}

/** The arguments after `start` when the command line runs the Nest CLI's start command, else null. */
function nestStartArguments(commandLine: readonly string[]): readonly string[] | null {
  const cli = commandLine.findIndex((arg) => ['nest', 'nest.js'].includes(basename(arg)));
  return cli !== -1 && commandLine[cli + 1] === 'start' ? commandLine.slice(cli + 2) : null;
}

function parentOf(pid: number): number {
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so the fields are counted after the last `)`.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function shellQuoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
