import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/options.js';

const options = (args: string[]) => {
  const parsed = parseArgs(args);
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};

describe('parseArgs', () => {
  it('start is the default command; NAMES and flags', () => {
    expect(options([])).toMatchObject({
      command: 'start',
      names: [],
      // Not given: devrun.yaml, then the defaults decide (config/settings/run-settings.ts).
      timeoutSeconds: undefined,
      restart: undefined,
      maxRestarts: undefined,
      config: undefined,
      tui: true,
      pty: undefined,
    });
    expect(options(['web', 'worker', '-t', '2.5', '--no-tui', '--no-pty'])).toMatchObject({
      names: ['web', 'worker'],
      timeoutSeconds: 2.5,
      tui: false,
      pty: false,
    });
    expect(options(['start', 'web'])).toMatchObject({ command: 'start', names: ['web'] });
    expect(options(['--restart', 'never', '--max-restarts', '0', '-c', 'dev.yaml'])).toMatchObject({
      restart: 'never',
      maxRestarts: 0,
      maxMemory: undefined,
      config: 'dev.yaml',
    });
    expect(options(['--max-memory', '512M'])).toMatchObject({ maxMemory: 512 * 1024 ** 2 });
    expect(options(['--max-memory=1.5g'])).toMatchObject({ maxMemory: 1.5 * 1024 ** 3 });
    expect(options(['-e', 'a.env,b.env', '-e', 'c.env', '-m', 'all=1,web=2', '-p', '3000'])).toMatchObject({
      env: ['a.env', 'b.env', 'c.env'],
      formation: 'all=1,web=2',
      port: 3000,
    });
  });

  it('wait [NAMES] --timeout, and --wait with -D only', () => {
    expect(options(['wait'])).toMatchObject({ command: 'verb', verb: 'wait', names: [], waitSeconds: 60 });
    expect(options(['wait', 'web', 'db', '--timeout', '5'])).toMatchObject({ verb: 'wait', names: ['web', 'db'], waitSeconds: 5 });
    expect(options(['start', '-D', '--wait'])).toMatchObject({ command: 'start', detach: true, wait: true });
    expect(parseArgs(['start', '--wait'])).toMatchObject({ kind: 'exit', code: 2, stderr: expect.stringContaining('--wait goes with -D') });
    expect(parseArgs(['wait', '--timeout', '0'])).toMatchObject({ kind: 'exit', code: 2 });
  });

  it.each([
    ['0.001', 0.001],
    ['86400', 86_400],
  ])('-t %s is in range', (value, seconds) => {
    expect(options(['-t', value])).toMatchObject({ timeoutSeconds: seconds });
  });

  it('everything after `run` belongs to the command, even flags devrun also has', () => {
    expect(options(['-f', 'Procfile.dev', 'run', 'rails', 's', '-p', '3000', '-e', 'x'])).toMatchObject({
      command: 'run',
      procfile: 'Procfile.dev',
      argv: ['rails', 's', '-p', '3000', '-e', 'x'],
    });
    expect(options(['run', '--', 'ls', '-la'])).toMatchObject({ argv: ['ls', '-la'] });
  });

  it("only --help or -h right after the verb is devrun's help; later it belongs to the command", () => {
    for (const flag of ['--help', '-h']) {
      expect(parseArgs(['run', flag])).toMatchObject({ kind: 'exit', code: 0, stdout: expect.stringContaining('devrun run <command..>') });
      expect(parseArgs(['-f', 'P', 'send', flag])).toMatchObject({ kind: 'exit', code: 0, stdout: expect.stringContaining('devrun send') });
    }
    expect(options(['run', 'rails', '--help'])).toMatchObject({ command: 'run', argv: ['rails', '--help'] });
    expect(options(['run', 'echo $X'])).toMatchObject({ command: 'run', argv: ['echo $X'] });
    expect(options(['send', 'web', '-h'])).toMatchObject({ command: 'verb', verb: 'send', text: '-h' });
  });

  const TIMEOUT_RANGE = '--timeout must be a number of seconds > 0 and <= 86400 (a day)';
  it.each([
    [['-t', '0'], `${TIMEOUT_RANGE}, got "0"`],
    [['-t', '-1'], `${TIMEOUT_RANGE}, got "-1"`],
    [['-t', 'NaN'], `${TIMEOUT_RANGE}, got "NaN"`],
    [['-t', 'Infinity'], `${TIMEOUT_RANGE}, got "Infinity"`],
    [['-t', ''], `${TIMEOUT_RANGE}, got ""`],
    [['-t', 'soon'], `${TIMEOUT_RANGE}, got "soon"`],
    // Node's timers overflow past 2^31-1 ms (about 24.8 days) and fire at once.
    [['-t', '3000000'], `${TIMEOUT_RANGE}, got "3000000"`],
    [['-t', '86400.5'], `${TIMEOUT_RANGE}, got "86400.5"`],
    [['-m', ''], '--formation: formation is empty: write name=count, e.g. all=1,web=2'],
    [['-m', ' '], '--formation: formation is empty: write name=count, e.g. all=1,web=2'],
    [['-m', ','], '--formation: formation is empty: write name=count, e.g. all=1,web=2'],
    [['-m', 'web'], '--formation: invalid formation item "web": write name=count, e.g. all=1,web=2'],
    [['-m', 'web=1,web=2', 'check'], '--formation: "web" appears twice in the formation: give each name once'],
    [['--max-restarts', '-1'], '--max-restarts must be a whole number >= 0, got "-1"'],
    [['--max-memory', 'lots'], '--max-memory must be a size such as 512M, 1G or 64K (K/M/G = 1024ⁿ bytes), got "lots"'],
    [['-p', '70000'], '--port must be a port number (1-65535), got "70000"'],
    [['--nope'], 'Unknown argument: nope'],
    [['run'], 'run needs a command: devrun run CMD [ARGS...]'],
  ])('%j is a usage error (exit 2, one line and a hint)', (args, message) => {
    expect(parseArgs(args)).toEqual({ kind: 'exit', code: 2, stderr: `devrun: ${message}\nRun 'devrun --help' for usage.` });
  });

  it('--help and --version print and exit 0', () => {
    expect(parseArgs(['--help'])).toMatchObject({ kind: 'exit', code: 0, stdout: expect.stringContaining('--no-pty') });
    expect(parseArgs(['--version'])).toMatchObject({ kind: 'exit', code: 0, stdout: '0.1.0' });
  });
});
