import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/cli.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const GOOD = 'web: sleep 300\n';

// Each case: files, args, the one line expected on stderr, exit code. Nothing may start.
const cases: Array<[string, Record<string, string>, string[], RegExp, number]> = [
  ['missing Procfile', {}, [], /^devrun: Procfile: no such Procfile in \/\S+\/devrun-e2e-\w+$/, 1],
  ['missing -f file', { Procfile: GOOD }, ['-f', 'Nope'], /^devrun: Nope: no such Procfile in \/\S+\/devrun-e2e-\w+$/, 1],
  [
    'missing root',
    { Procfile: GOOD },
    ['-d', 'nope'],
    /^devrun: nope\/Procfile: no such Procfile: the folder \/\S+\/nope does not exist$/,
    1,
  ],
  // The Rails bin/dev convention.
  [
    'a Procfile.dev but no Procfile',
    { 'Procfile.dev': GOOD },
    [],
    /^devrun: Procfile: no such Procfile in \/\S+; there is Procfile\.dev: use -f Procfile\.dev$/,
    1,
  ],
  [
    'several Procfile variants',
    { 'Procfile.test': GOOD, 'Procfile.dev': GOOD },
    [],
    /^devrun: Procfile: no such Procfile in \/\S+; there are Procfile\.dev, Procfile\.test: use -f Procfile\.dev$/,
    1,
  ],
  [
    'a typo in NAMES',
    { Procfile: `${GOOD}worker: sleep 300\n` },
    ['wbe'],
    /^devrun: Procfile: no process named "wbe": did you mean "web"\? The Procfile has web, worker$/,
    1,
  ],
  ['a name like none', { Procfile: GOOD }, ['database'], /^devrun: Procfile: no process named "database"; the Procfile has web$/, 1],
  [
    'an instance past the formation',
    { Procfile: GOOD },
    ['web.3'],
    /^devrun: Procfile: no process named "web\.3": the formation runs 1 web process; -m web=3 runs web\.1 to web\.3$/,
    1,
  ],
  ['bad Procfile line', { Procfile: 'web: a\nthis is not an entry\n' }, [], /^devrun: Procfile:2: /, 1],
  ['indented entry', { Procfile: 'web: a\n  worker: b\n' }, [], /^devrun: Procfile:2: /, 1],
  [
    'duplicate name',
    { Procfile: 'web: a\nworker: b\nweb: c\n' },
    [],
    /^devrun: Procfile:3: duplicate process name "web" \(first defined on line 1\)/,
    1,
  ],
  ['empty Procfile', { Procfile: '# nothing\n' }, [], /^devrun: Procfile: no process entries found/, 1],
  ['bad .env line', { Procfile: GOOD, '.env': 'A=1\nexport B\n' }, [], /^devrun: \.env:2: /, 1],
  ['missing -e file', { Procfile: GOOD }, ['-e', 'prod.env'], /^devrun: \S*prod\.env: no such env file$/, 1],
  ['empty formation', { Procfile: GOOD }, ['-m', ''], /^devrun: --formation: formation is empty: write name=count, e\.g\. all=1,web=2$/, 2],
  [
    'blank formation',
    { Procfile: GOOD },
    ['-m', ' , '],
    /^devrun: --formation: formation is empty: write name=count, e\.g\. all=1,web=2$/,
    2,
  ],
  ['bad formation item', { Procfile: GOOD }, ['-m', 'web'], /^devrun: --formation: invalid formation item "web": write name=count/, 2],
  ['formation naming no entry', { Procfile: GOOD }, ['-m', 'wbe=2'], /^devrun: --formation: .*wbe/, 1],
  [
    'bad flag value',
    { Procfile: GOOD },
    ['-t', 'soon'],
    /^devrun: --timeout must be a number of seconds > 0 and <= 86400 \(a day\), got "soon"$/,
    2,
  ],
  [
    'zero timeout',
    { Procfile: GOOD },
    ['-t', '0'],
    /^devrun: --timeout must be a number of seconds > 0 and <= 86400 \(a day\), got "0"$/,
    2,
  ],
  // Past Node's 32-bit timer limit the SIGKILL deadline fired at once.
  [
    'timeout over a day',
    { Procfile: GOOD },
    ['-t', '3000000'],
    /^devrun: --timeout must be a number of seconds > 0 and <= 86400 \(a day\), got "3000000"$/,
    2,
  ],
  ['bad --restart', { Procfile: GOOD }, ['--restart', 'sometimes'], /^devrun: Invalid values: Argument: restart, Given: "sometimes"/, 2],
  ['unknown flag', { Procfile: GOOD }, ['--bogus'], /^devrun: Unknown argument: bogus$/, 2],
  ['run without a command', { Procfile: GOOD }, ['run'], /^devrun: run needs a command: devrun run CMD \[ARGS\.\.\.\]$/, 2],
];

describe('bad input: one line naming the file and line, non-zero exit, nothing started', () => {
  it.each(cases)('%s', async (_name, files, args, line, exitCode) => {
    project = makeProject(files);
    const { code, stdout, stderr } = await runCli(args, { cwd: project.dir, env: project.env });
    expect(code).toBe(exitCode);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(line);
    // Usage errors add a hint to run --help; file errors are exactly one line.
    expect(lines.slice(1)).toEqual(exitCode === 2 ? ["Run 'devrun --help' for usage."] : []);
    expect(stdout).toBe('');
    expect(project.survivors()).toEqual([]);
  });

  it('a directory given as the Procfile', async () => {
    project = makeProject({});
    mkdirSync(join(project.dir, 'Procfile'));
    const { code, stderr } = await runCli([], { cwd: project.dir, env: project.env });
    expect(code).toBe(1);
    expect(stderr).toBe('devrun: Procfile: is a directory, not a Procfile\n');
  });

  // A binary used to give a diagnostic for nearly every "line" of it: ~700 for /bin/ls.
  it.each([
    ['Procfile', [], /^devrun: Procfile: not a text file: a NUL byte at offset \d+$/],
    ['.env', [], /^devrun: \.env: not a text file: a NUL byte at offset \d+$/],
    ['prod.env', ['-e', 'prod.env'], /^devrun: prod\.env: not a text file: a NUL byte at offset \d+$/],
  ])('a binary copied to %s', async (file, args, line) => {
    project = makeProject({ Procfile: GOOD });
    copyFileSync('/bin/ls', join(project.dir, file));
    const { code, stdout, stderr } = await runCli(args, { cwd: project.dir, env: project.env });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(stdout).toBe('');
    expect(project.survivors()).toEqual([]);
  });

  it('more than 10 problems, from any file: the first 10 and a count of the rest', async () => {
    const badLines = (count: number) => Array.from({ length: count }, (_, i) => `bad ${i}\n`).join('');
    project = makeProject({ Procfile: `web: sleep 300\n${badLines(8)}`, '.env': `A=1\n${badLines(5)}` });
    const { code, stdout, stderr } = await runCli([], { cwd: project.dir, env: project.env });
    expect(code).toBe(1);
    const procfileLine = (n: number) => `devrun: Procfile:${n}: missing ":" after the process name: write name: command`;
    const envLine = (n: number) => `devrun: .env:${n}: not a KEY=value line, so it is ignored: write KEY=value or start it with #`;
    expect(stderr.trimEnd().split('\n')).toEqual([
      ...[2, 3, 4, 5, 6, 7, 8, 9].map(procfileLine),
      ...[2, 3].map(envLine),
      'devrun: … and 3 more',
    ]);
    expect(stdout).toBe('');
    expect(project.survivors()).toEqual([]);
  });

  it('a directory given as the env file', async () => {
    project = makeProject({ Procfile: GOOD });
    mkdirSync(join(project.dir, 'prod.env'));
    const { code, stdout, stderr } = await runCli(['-e', 'prod.env'], { cwd: project.dir, env: project.env });
    expect(code).toBe(1);
    expect(stderr).toBe('devrun: prod.env: is a directory, not an env file\n');
    expect(stdout).toBe('');
    expect(project.survivors()).toEqual([]);
  });

  it('an unreadable Procfile (run as nobody: root reads anything)', async () => {
    project = makeProject({ Procfile: GOOD });
    chmodSync(project.dir, 0o755);
    chmodSync(join(project.dir, 'Procfile'), 0o000);
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const { code, stderr } = await runCli([], { cwd: project.dir, env: project.env, wrap: asNobody });
    expect(code).toBe(1);
    expect(stderr).toBe('devrun: Procfile: cannot read: permission denied\n');
  });
});
