import yargs from 'yargs';
import packageJson from '../../package.json' with { type: 'json' };
import { MAX_LAST_LINES } from '../control/protocol.js';
import { defaultRestartPolicy, RESTART_MODES, type RestartMode } from '../engine/restart-policy.js';
import { COMPLETION_VERB, COMPLETIONS_FLAG, completeNames, completionScript } from './completion.js';
import { parseFormation } from './formation.js';
import { LOG_FILE_DEFAULTS, LOG_VALUE_FLAGS, type LogFileOptions, parseLogSize, parseSince, type Since } from './log-files.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from './settings/run-settings.js';
import { parseByteSize } from './settings/values.js';

/** How long `devrun wait` waits when --timeout does not say, and how long `start -D --wait` waits at most. */
export const DEFAULT_WAIT_SECONDS = 60;
export const START_WAIT_SECONDS = 300;

export interface CommonOptions {
  procfile: string | undefined;
  /** -c: the settings file (default: devrun.yaml beside the Procfile, when there is one). */
  config: string | undefined;
  env: string[] | undefined;
  root: string | undefined;
  formation: string;
  port: number | undefined;
  envOverride: boolean;
}

export interface StartOptions extends CommonOptions, LogFileOptions {
  command: 'start';
  names: string[];
  /** --timeout, --restart, --max-restarts: undefined when not given (devrun.yaml, then the defaults, decide). */
  timeoutSeconds: number | undefined;
  restart: RestartMode | undefined;
  maxRestarts: number | undefined;
  /** --max-memory in bytes: beats every max_memory; undefined when not given. */
  maxMemory: number | undefined;
  tui: boolean;
  /** --bell: the dashboard rings the terminal bell once per crash of a process not being looked at. */
  bell: boolean;
  /** --no-mouse: the dashboard asks for no mouse reports (wheel and click then do what the terminal does). */
  mouse: boolean;
  /**
   * Give each child a pseudo-terminal (falls back to pipes where node-pty cannot load). undefined:
   * when devrun's stdout is a terminal; pipes otherwise, as foreman (nobody is there to answer a pager).
   */
  pty: boolean | undefined;
  /** undefined: decide from the terminal and NO_COLOR / FORCE_COLOR. */
  color: boolean | undefined;
  timestamps: boolean;
  scrollback: number;
  /** Leave processes that left their process group running when their run ends. */
  keepEscaped: boolean;
  /** -D: validate here, then run the supervisor in the background (its own session, no terminal). */
  detach: boolean;
  /** -D --wait: return once every process is up (or one failed), as `devrun wait`. */
  wait: boolean;
  /** Internal: this process is that background supervisor (fd 3 is the pipe to the waiting foreground). */
  detachedChild: boolean;
  /** A flag about how to run was given (anything but -f, -d, -e, --env-override): plain `devrun` does not attach then. */
  runFlags: boolean;
}

export interface CheckOptions extends CommonOptions {
  command: 'check';
}

export interface RunOptions extends CommonOptions {
  command: 'run';
  argv: string[];
}

/** A verb sent to the devrun that runs for this project (found from the current folder upwards). */
export interface VerbOptions extends CommonOptions {
  command: 'verb';
  verb: 'status' | 'restart' | 'stop' | 'kill' | 'send' | 'logs' | 'connect' | 'attach' | 'wait' | 'reload';
  names: string[];
  /** logs -n: how many recent lines to print first (default 10, or none with -f). */
  lines: number | undefined;
  /** logs -f: follow the new lines until Ctrl-C. */
  follow: boolean;
  /** logs --since: only lines from then on. */
  since: Since | undefined;
  /** logs --log-dir: where the files are when no devrun runs (relative to the root); undefined: the default. */
  logDir: string | undefined;
  /** status --json */
  json: boolean;
  /** send: the words after the process name, joined by spaces. */
  text: string;
  /** wait --timeout: how long to wait for the processes to be up. */
  waitSeconds: number;
  /** attach --no-mouse: as for the dashboard of `devrun`. */
  mouse: boolean;
}

export type CliOptions = StartOptions | CheckOptions | RunOptions | VerbOptions;

/** What parsing argv led to: options to act on, or text to print and an exit code (help, errors). */
export type ParsedArgs = { kind: 'options'; options: CliOptions } | { kind: 'exit'; code: number; stdout?: string; stderr?: string };

class UsageError extends Error {}

/** Bundled at build time: the bundle has no package.json next to it to read. */
const VERSION: string = packageJson.version;

function nonNegativeInt(flag: string) {
  return (value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} must be a whole number >= 0, got "${String(value)}"`);
    return n;
  };
}

/**
 * The longest --timeout: a day is far beyond any graceful stop, and well under what Node's timers hold
 * (2^31-1 ms, about 24.8 days; past that a timer fires at once, so SIGKILL came right after SIGTERM).
 */
const MAX_TIMEOUT_SECONDS = 86_400;

/** logs -n: a whole number of lines, at most what devrun answers. */
function lineCount(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_LAST_LINES) {
    throw new UsageError(`-n must be a whole number of lines from 0 to ${MAX_LAST_LINES}, got "${String(value)}"`);
  }
  return n;
}

function timeoutSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= MAX_TIMEOUT_SECONDS)) {
    throw new UsageError(`--timeout must be a number of seconds > 0 and <= ${MAX_TIMEOUT_SECONDS} (a day), got "${String(value)}"`);
  }
  return n;
}

/** --wait goes with -D: a foreground run shows its processes coming up itself. */
function waitFlag(wait: boolean, detach: boolean): boolean {
  if (wait && !detach) throw new UsageError('--wait goes with -D (devrun start -D --wait); for a running devrun: devrun wait');
  return wait;
}

function port(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--port must be a port number (1-65535), got "${String(value)}"`);
  return n;
}

/** Formation syntax is checked with the other flags (exit 2); names unknown to the Procfile by the loader. */
function formation(value: unknown): string {
  const spec = String(value);
  const { error } = parseFormation(spec);
  if (error) throw new UsageError(`--formation: ${error}`);
  return spec;
}

/** yargs turns a repeated flag into an array; only -e may be repeated. */
function single(flag: string, value: unknown): unknown {
  if (Array.isArray(value)) throw new UsageError(`--${flag} given more than once`);
  return value;
}

function maxMemory(value: string): number {
  const parsed = parseByteSize(value);
  if ('problem' in parsed) throw new UsageError(`--max-memory ${parsed.problem}`);
  return parsed.value;
}

function optional<T>(value: unknown, parse: (text: string) => T): T | undefined {
  return value === undefined ? undefined : parse(String(value));
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

const mouseOption = {
  type: 'boolean',
  default: true,
  describe: 'dashboard: wheel scrolls, click selects (--no-mouse: the terminal keeps the mouse; Shift+drag selects either way)',
} as const;

const logDirOption = {
  type: 'string',
  describe: `folder of the log files, relative to the project root [default: ${LOG_FILE_DEFAULTS.dir}, or ${LOG_FILE_DEFAULTS.dir}/FILE for -f FILE]`,
} as const;

function build() {
  return yargs()
    .scriptName('devrun')
    .usage('$0 [start] [NAMES...]  run the Procfile (all processes, or only NAMES)')
    .command(['start [names..]', '$0 [names..]'], 'run every process of the Procfile (or only NAMES), restart crashes', (y) =>
      y
        .positional('names', { type: 'string', array: true, describe: 'entry (web) or process (web.1) names' })
        .option('timeout', {
          alias: 't',
          type: 'string',
          describe: `seconds from SIGTERM to SIGKILL when stopping (default ${DEFAULT_STOP_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS})`,
        })
        .option('restart', {
          choices: RESTART_MODES,
          describe: `when to restart a process that ended (default ${defaultRestartPolicy.mode})`,
        })
        .option('max-restarts', {
          type: 'string',
          describe: `give up after this many restarts of short-lived (<10s) runs in a row (default ${defaultRestartPolicy.maxRestarts})`,
        })
        .option('max-memory', {
          type: 'string',
          describe: "restart a process whose tree's memory (PSS) stays above SIZE (512M, 2G; K/M/G = 1024^n); beats max_memory",
        })
        .option('tui', {
          type: 'boolean',
          default: true,
          describe: 'show the dashboard when stdout is a terminal (--no-tui: plain merged logs)',
        })
        .option('bell', {
          type: 'boolean',
          default: false,
          describe: 'dashboard: ring the bell when a process you are not looking at crashes (the title says which, always)',
        })
        .option('mouse', mouseOption)
        .option('pty', {
          type: 'boolean',
          describe: 'give each process a terminal (default: when stdout is a terminal; --no-pty: pipes, stdout and stderr apart)',
        })
        .option('color', {
          type: 'boolean',
          describe: 'colour the headless output (default: when stdout is a terminal; honours NO_COLOR, FORCE_COLOR)',
        })
        .option('timestamps', { type: 'boolean', default: true, describe: 'prefix headless log lines with HH:MM:SS' })
        .option('scrollback', { type: 'string', default: '10000', describe: 'lines kept per process and in the merged log' })
        .option('keep-escaped', {
          type: 'boolean',
          default: false,
          describe: 'leave processes that left their process group (setsid, daemons) running when their run ends',
        })
        .option('detach', {
          alias: 'D',
          type: 'boolean',
          default: false,
          describe: 'run in the background: survives the terminal and SSH; `devrun status`, `devrun stop`',
        })
        .option('wait', {
          type: 'boolean',
          default: false,
          describe: `with -D: return once every process is ready (exit 1 naming one that failed; at most ${START_WAIT_SECONDS} s)`,
        })
        .option('detached-child', { type: 'boolean', default: false, hidden: true })
        .option('log-files', {
          type: 'boolean',
          default: true,
          describe: "write each process's output to LOG_DIR/NAME.log (--no-log-files: none; `devrun logs` reads devrun's memory)",
        })
        .option('log-dir', logDirOption)
        .option('log-size', {
          type: 'string',
          default: LOG_FILE_DEFAULTS.size,
          describe: 'rotate a log file past this size (10M, 500K, bytes)',
        })
        .option('log-keep', { type: 'string', default: String(LOG_FILE_DEFAULTS.keep), describe: 'rotated log files kept per process' })
        .option('log-colors', { type: 'boolean', default: false, describe: 'keep colour codes in the log files' }),
    )
    .command('check', 'validate the Procfile and .env, list the processes; exit 1 on errors')
    .command(
      'run <command..>',
      "run one command with the .env loaded, exit with its code: one argument is a shell line (/bin/sh -c, as in a Procfile: 'echo $PORT'), several are run as given",
    )
    .command('status', 'show the processes of the devrun running here', (y) =>
      y.option('json', { type: 'boolean', default: false, describe: 'print the versioned JSON status (documented in the README)' }),
    )
    .command('restart [names..]', 'restart processes of the running devrun (all when no NAMES)')
    .command('reload', 'read the Procfile, .env and devrun.yaml again and apply what changed to the running devrun')
    .command('stop [names..]', 'stop processes of the running devrun; no NAMES: stop everything and the devrun itself')
    .command('kill <names..>', 'SIGKILL processes of the running devrun now')
    .command('send <name> <text..>', 'type a line (TEXT joined by spaces, then Enter) into one process')
    .command('logs [names..]', 'print the recent lines (of NAMES, or all) from the log files or the running devrun; -f follows them', (y) =>
      y
        .option('lines', {
          alias: 'n',
          type: 'string',
          describe: 'how many recent lines first (default 10; with -f or --since: all since)',
        })
        .option('follow', { type: 'boolean', default: false, describe: 'keep printing new lines until Ctrl-C (-f after `logs`)' })
        .option('since', { type: 'string', describe: 'only lines since a time ago (30s, 10m, 2h, 1d) or a date (2026-12-01T09:30)' })
        .option('log-dir', logDirOption),
    )
    .command('connect <name>', "use one process's terminal from here (Ctrl-] detaches)")
    .command('wait [names..]', 'wait until the processes of the running devrun (or NAMES) are ready; exit 1 naming one that failed', (y) =>
      y.option('timeout', { alias: 't', type: 'string', describe: `seconds to wait at most (default ${DEFAULT_WAIT_SECONDS})` }),
    )
    .command('attach', 'the dashboard of the devrun running here (foreground or -D), in this terminal; q detaches', (y) =>
      y.option('mouse', mouseOption),
    )
    .completion(COMPLETION_VERB, 'print a shell completion script (bash, zsh): devrun completion >> ~/.bashrc', completeNames)
    .option('procfile', { alias: 'f', type: 'string', describe: 'Procfile to use (default: ROOT/Procfile)' })
    .option('config', { alias: 'c', type: 'string', describe: 'settings file (default: devrun.yaml beside the Procfile, if any)' })
    .option('env', { alias: 'e', type: 'string', describe: 'comma-separated .env files to load (default: .env if present)' })
    .option('root', { alias: 'd', type: 'string', describe: "project directory (default: the Procfile's directory)" })
    .option('formation', { alias: 'm', type: 'string', default: 'all=1', describe: 'processes per entry, e.g. all=1,web=2,worker=0' })
    .option('port', { alias: 'p', type: 'string', describe: 'base PORT (default: $PORT or 5000); entry i gets base + 100*i' })
    .option('env-override', { type: 'boolean', default: false, describe: '.env values override variables already set in the shell' })
    .strict()
    .help()
    .alias('help', 'h')
    .version(VERSION)
    .alias('version', 'v')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilog('Keys in the dashboard: press ? for help.');
}

/** Global flags that take a value: needed to find where `run`'s own command line starts. */
const VALUE_FLAGS = new Set([
  '-f',
  '--procfile',
  '-c',
  '--config',
  '-e',
  '--env',
  '-d',
  '--root',
  '-m',
  '--formation',
  '-p',
  '--port',
  ...LOG_VALUE_FLAGS,
]);

/**
 * `devrun [flags] run CMD ARGS...` and `devrun [flags] send NAME TEXT...`: everything after `run` (after
 * `send NAME`) belongs to the command (the text), even flags devrun also has (`devrun run rails s -p
 * 3000`, `devrun send web -n`), so it is cut off before yargs sees it. Only `--help` or `-h` right after
 * the verb asks for devrun's help.
 */
function splitRunCommand(args: string[]): { own: string[]; command: string[] | undefined } {
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token.startsWith('-')) {
      if (VALUE_FLAGS.has(token)) i++;
      continue;
    }
    const keep = token === 'run' ? 1 : token === 'send' ? 2 : 0;
    if (keep === 0) break;
    // Help only right after the verb: `devrun run --help`, but `devrun run rails --help` is rails's.
    if (args[i + 1] === '--help' || args[i + 1] === '-h') return { own: [...args.slice(0, i + 1), '--help'], command: undefined };
    const rest = args.slice(i + keep);
    return { own: args.slice(0, i + keep), command: rest[0] === '--' ? rest.slice(1) : rest };
  }
  return { own: args, command: undefined };
}

/**
 * After `logs`, -f means --follow (as in `tail -f`), not --procfile: `devrun logs web -f`. The Procfile
 * is still given as -f before `logs`, or as --procfile anywhere.
 */
function followFlag(args: string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token.startsWith('-')) {
      if (VALUE_FLAGS.has(token)) i++;
      continue;
    }
    if (token !== 'logs') return args;
    return [...args.slice(0, i + 1), ...args.slice(i + 1).map((arg) => (arg === '-f' ? '--follow' : arg))];
  }
  return args;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const completion = completionRequest(argv);
  if (completion !== undefined) return { kind: 'exit', code: 0, stdout: completion };
  let result: ParsedArgs | undefined;
  let raw: Record<string, unknown> = {};
  let printed = '';
  const args = followFlag(argv);
  const { own, command } = splitRunCommand(args);
  if (command && command.length === 0) {
    const usage = own.includes('send')
      ? 'send needs a process and text: devrun send NAME TEXT...'
      : 'run needs a command: devrun run CMD [ARGS...]';
    return { kind: 'exit', code: 2, stderr: `devrun: ${usage}\nRun 'devrun --help' for usage.` };
  }
  // yargs validates `run <command..>` on a placeholder; the real command line is attached below.
  const forYargs = command && command.length > 0 ? [...own, 'CMD'] : own;
  try {
    build().parse(forYargs, {}, (error: Error | null | undefined, argv: Record<string, unknown>, output: string) => {
      if (error) throw error;
      raw = argv;
      printed = output;
    });
    if (printed) return { kind: 'exit', code: 0, stdout: printed };
    result = { kind: 'options', options: toOptions(raw, command ?? [], hasRunFlags(own)) };
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ').trim() || 'invalid arguments';
    return { kind: 'exit', code: 2, stderr: `devrun: ${message}\nRun 'devrun --help' for usage.` };
  }
  return result;
}

/**
 * `devrun completion` (the script) and the shell's `devrun --get-yargs-completions WORDS...` at each Tab
 * (never an error line: it would land in the middle of the command line being typed); undefined for
 * anything else.
 */
function completionRequest(argv: string[]): string | undefined {
  if (argv[0] === COMPLETIONS_FLAG) {
    // The value of -f, -e, -d...: nothing from here, so the shell completes a file name.
    if (VALUE_FLAGS.has(argv.at(-2) ?? '')) return '';
    let printed = '';
    try {
      build().parse(argv, {}, (_error: unknown, _argv: unknown, output: string) => {
        printed = output;
      });
    } catch {
      // an unknown flag among the words typed so far: nothing to offer
    }
    return printed;
  }
  const verb = argv.find((arg, i) => !arg.startsWith('-') && !VALUE_FLAGS.has(argv[i - 1] ?? ''));
  return verb === COMPLETION_VERB ? completionScript() : undefined;
}

/** Flags that choose which project and instance, not how to run it. */
const INSTANCE_FLAGS = new Set(['-f', '--procfile', '-c', '--config', '-d', '--root', '-e', '--env', '--env-override', '--no-mouse']);

function hasRunFlags(args: string[]): boolean {
  return args.some((arg) => arg.startsWith('-') && !INSTANCE_FLAGS.has(arg.split('=')[0]!));
}

function toOptions(argv: Record<string, unknown>, runCommand: string[], runFlags: boolean): CliOptions {
  const common: CommonOptions = {
    procfile: single('procfile', argv.procfile) as string | undefined,
    config: single('config', argv.config) as string | undefined,
    env: list(argv.env),
    root: single('root', argv.root) as string | undefined,
    formation: formation(single('formation', argv.formation)),
    port: port(single('port', argv.port)),
    envOverride: Boolean(argv['env-override']),
  };
  const [command] = (argv._ as unknown[]).map(String);
  if (command === 'check') return { ...common, command: 'check' };
  if (command === 'run') return { ...common, command: 'run', argv: runCommand };
  if (
    command === 'status' ||
    command === 'restart' ||
    command === 'stop' ||
    command === 'kill' ||
    command === 'send' ||
    command === 'logs' ||
    command === 'connect' ||
    command === 'attach' ||
    command === 'wait' ||
    command === 'reload'
  ) {
    const names = command === 'send' || command === 'connect' ? [String(argv.name)] : (list(argv.names) ?? []);
    return {
      ...common,
      command: 'verb',
      verb: command,
      names,
      json: Boolean(argv.json),
      text: runCommand.join(' '),
      lines: lineCount(single('lines', argv.lines)),
      follow: Boolean(argv.follow),
      since: optional(single('since', argv.since), parseSince),
      logDir: single('log-dir', argv['log-dir']) as string | undefined,
      waitSeconds: command === 'wait' ? (timeoutSeconds(single('timeout', argv.timeout)) ?? DEFAULT_WAIT_SECONDS) : DEFAULT_WAIT_SECONDS,
      mouse: argv.mouse !== false,
    };
  }
  return {
    ...common,
    command: 'start',
    names: list(argv.names) ?? [],
    timeoutSeconds: timeoutSeconds(single('timeout', argv.timeout)),
    restart: argv.restart as RestartMode | undefined,
    maxRestarts: nonNegativeInt('max-restarts')(single('max-restarts', argv['max-restarts'])),
    maxMemory: optional(single('max-memory', argv['max-memory']), maxMemory),
    tui: Boolean(argv.tui),
    bell: Boolean(argv.bell),
    mouse: argv.mouse !== false,
    pty: argv.pty as boolean | undefined,
    color: argv.color as boolean | undefined,
    timestamps: Boolean(argv.timestamps),
    scrollback: Math.max(100, nonNegativeInt('scrollback')(single('scrollback', argv.scrollback)) ?? 10000),
    keepEscaped: Boolean(argv['keep-escaped']),
    detach: Boolean(argv.detach),
    // The background supervisor gets the command line without -D; the foreground does the waiting.
    wait: waitFlag(Boolean(argv.wait), Boolean(argv.detach) || Boolean(argv['detached-child'])),
    detachedChild: Boolean(argv['detached-child']),
    runFlags,
    logFiles: Boolean(argv['log-files']),
    logDir: single('log-dir', argv['log-dir']) as string | undefined,
    logSize: parseLogSize(String(single('log-size', argv['log-size']))),
    logKeep: nonNegativeInt('log-keep')(single('log-keep', argv['log-keep'])) ?? LOG_FILE_DEFAULTS.keep,
    logColors: Boolean(argv['log-colors']),
  };
}
