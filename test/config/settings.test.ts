import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDependencies } from '../../src/config/settings/dependency-graph.js';
import { describeSettings } from '../../src/config/settings/describe-settings.js';
import { parseSettings } from '../../src/config/settings/parse-settings.js';
import { PROCESS_KEYS } from '../../src/config/settings/process-keys.js';
import { runSettings } from '../../src/config/settings/run-settings.js';
import { parseByteSize, parseDuration, parseStopSignal } from '../../src/config/settings/values.js';
import { formatDiagnostic, type ProcfileEntry } from '../../src/config/types.js';

const FILE = 'devrun.yaml';
const errors = (text: string) => parseSettings(text, FILE).diagnostics.map(formatDiagnostic);
const only = (text: string) => {
  const { processes, diagnostics } = parseSettings(text, FILE);
  expect(diagnostics.map(formatDiagnostic)).toEqual([]);
  return processes;
};
const procfile = (...names: string[]): ProcfileEntry[] => names.map((name, i) => ({ name, command: `run-${name}`, line: i + 1 }));

describe('devrun.yaml: what it says', () => {
  it('reads every key of a process', () => {
    const [web, db] = only(`
processes:
  web:
    depends_on: { db: ready, migrate: succeeded }
    ready: { http: "http://localhost:3000/up", status: 200-299, interval: 500ms, timeout: 30, initial_delay: 1s }
    restart: always
    max_restarts: 3
    stop_signal: QUIT
    stop_timeout: 10s
    env: { RAILS_ENV: development, PORT: 3000, EMPTY: }
    cwd: apps/web
    autostart: false
    max_memory: 512M
    watch: ["app/**/*.rb", config/routes.rb]
    watch_ignore: tmp
    on_dependency_restart: restart
  db:
    cmd: postgres -D data
    ready:
      port: 5432
`);
    expect(web).toEqual({
      name: 'web',
      line: 3,
      keys: [
        'depends_on',
        'ready',
        'restart',
        'max_restarts',
        'stop_signal',
        'stop_timeout',
        'env',
        'cwd',
        'autostart',
        'max_memory',
        'watch',
        'watch_ignore',
        'on_dependency_restart',
      ],
      dependsOn: { db: 'ready', migrate: 'succeeded' },
      ready: {
        check: { kind: 'http', url: 'http://localhost:3000/up', status: { min: 200, max: 299 } },
        intervalMs: 500,
        timeoutMs: 30_000,
        initialDelayMs: 1000,
      },
      restart: 'always',
      maxRestarts: 3,
      stopSignal: 'SIGQUIT',
      stopTimeoutMs: 10_000,
      env: { RAILS_ENV: 'development', PORT: '3000', EMPTY: '' },
      cwd: 'apps/web',
      autostart: false,
      maxMemory: 512 * 1024 ** 2,
      watch: ['app/**/*.rb', 'config/routes.rb'],
      watchIgnore: ['tmp'],
      onDependencyRestart: 'restart',
    });
    expect(db).toMatchObject({
      name: 'db',
      line: 17,
      cmd: 'postgres -D data',
      ready: { check: { kind: 'port', port: 5432 }, intervalMs: 1000, timeoutMs: 60_000, initialDelayMs: 0 },
    });
  });

  it('a list of dependencies means started; process-compose condition names work', () => {
    const [a, b] = only(
      'processes:\n  a: { depends_on: [db, cache] }\n  b: { depends_on: { db: process_healthy, m: process_completed_successfully, c: process_completed } }\n',
    );
    expect(a!.dependsOn).toEqual({ db: 'started', cache: 'started' });
    expect(b!.dependsOn).toEqual({ db: 'ready', m: 'succeeded', c: 'completed' });
  });

  it('an empty file, an empty processes map and a process with no settings are fine', () => {
    expect(only('')).toEqual([]);
    expect(only('processes:\n')).toEqual([]);
    expect(only('processes:\n  web:\n')).toMatchObject([{ name: 'web', dependsOn: {}, env: {} }]);
  });

  it('a log probe keeps its pattern; the default HTTP status range is 200-399', () => {
    const [a, b] = only('processes:\n  a: { ready: { log: "listening on \\\\d+" } }\n  b: { ready: { http: "https://x.test/" } }\n');
    expect(a!.ready!.check).toEqual({ kind: 'log', pattern: 'listening on \\d+' });
    expect(b!.ready!.check).toEqual({ kind: 'http', url: 'https://x.test/', status: { min: 200, max: 399 } });
  });
});

describe('devrun.yaml: every error names file, line, column and key, with what is allowed', () => {
  it.each([
    [
      'unknown top-level key',
      'proceses:\n  web: {}\n',
      ['devrun.yaml:1:1: proceses: unknown key (did you mean processes?); allowed: processes'],
    ],
    [
      'unknown process key, with a suggestion',
      'processes:\n  web:\n    depend_on: [db]\n',
      [
        expect.stringMatching(
          /^devrun\.yaml:3:5: processes\.web\.depend_on: unknown key \(did you mean depends_on\?\); allowed: cmd, depends_on, ready, /,
        ),
      ],
    ],
    [
      'wrong type',
      'processes:\n  web:\n    autostart: "no"\n',
      ['devrun.yaml:3:16: processes.web.autostart: must be true or false, got "no"'],
    ],
    [
      'a watch glob outside the root, or negated',
      'processes:\n  web: { watch: [src/**, ../shared/**] }\n  api: { watch_ignore: "!dist" }\n',
      [
        'devrun.yaml:2:17: processes.web.watch: "../shared/**": globs are relative to the project root; use a path inside the project root',
        'devrun.yaml:3:24: processes.api.watch_ignore: "!dist": globs are relative to the project root; list what to leave out under watch_ignore',
      ],
    ],
    [
      'a bad restart mode',
      'processes:\n  web: { restart: sometimes }\n',
      ['devrun.yaml:2:19: processes.web.restart: must be one of always, on-failure, never, got "sometimes"'],
    ],
    [
      'a bad condition',
      'processes:\n  web: { depends_on: { db: healthy } }\n',
      ['devrun.yaml:2:28: processes.web.depends_on.db: must be one of started, ready, succeeded, completed, got "healthy"'],
    ],
    [
      'a probe with two checks',
      'processes:\n  db: { ready: { port: 5432, log: up } }\n',
      ['devrun.yaml:2:16: processes.db.ready: takes one of port, http or log, not port and log'],
    ],
    [
      'a probe with none',
      'processes:\n  db: { ready: { interval: 2s } }\n',
      ['devrun.yaml:2:16: processes.db.ready: needs one of port, http or log'],
    ],
    [
      'a port out of range',
      'processes:\n  db:\n    ready: { port: 70000 }\n',
      ['devrun.yaml:3:20: processes.db.ready.port: must be a whole number from 1 to 65535, got 70000'],
    ],
    [
      'a bad URL',
      'processes:\n  web: { ready: { http: "localhost:3000" } }\n',
      ['devrun.yaml:2:25: processes.web.ready.http: must be an http:// or https:// URL, got "localhost:3000"'],
    ],
    [
      'a bad regex',
      'processes:\n  web: { ready: { log: "(" } }\n',
      [expect.stringMatching(/^devrun\.yaml:2:24: processes\.web\.ready\.log: not a valid regular expression: /)],
    ],
    [
      'status without http',
      'processes:\n  db: { ready: { port: 1, status: 200 } }\n',
      ['devrun.yaml:2:27: processes.db.ready.status: goes with http only'],
    ],
    [
      'a bad size',
      'processes:\n  web: { max_memory: lots }\n',
      ['devrun.yaml:2:22: processes.web.max_memory: must be a size such as 512M, 1G or 64K (K/M/G = 1024ⁿ bytes), got "lots"'],
    ],
    [
      'a bad signal',
      'processes:\n  web: { stop_signal: STOP }\n',
      [expect.stringMatching(/^devrun\.yaml:2:23: processes\.web\.stop_signal: must be one of TERM, INT, QUIT, /)],
    ],
    [
      'a zero stop timeout',
      'processes:\n  web: { stop_timeout: 0 }\n',
      ['devrun.yaml:2:24: processes.web.stop_timeout: must be more than 0'],
    ],
    ['env as a list', 'processes:\n  web:\n    env: [A=1]\n', ['devrun.yaml:3:10: processes.web.env: must be a map of NAME: value']],
    [
      'a list where one value goes',
      'processes:\n  web: { cwd: [a, b] }\n',
      ['devrun.yaml:2:15: processes.web.cwd: must be a single value, not a list'],
    ],
    [
      'a bad process name',
      'processes:\n  "web app": {}\n',
      ['devrun.yaml:2:3: processes.web app: "web app" is not a process name: use only A-Z, a-z, 0-9, "_" and "-"'],
    ],
    ['settings that are not a map', 'processes:\n  web: yes\n', ['devrun.yaml:2:8: processes.web: must be a map of settings']],
    ['not YAML', 'processes:\n  web: { a: 1\n', [expect.stringMatching(/^devrun\.yaml:\d+:\d+: not valid YAML: /)]],
    [
      'a duplicate key',
      'processes:\n  web: {}\n  web: {}\n',
      [expect.stringMatching(/^devrun\.yaml:3:3: not valid YAML: Map keys must be unique/)],
    ],
  ])('%s', (_what, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('reports every problem at once, and gives no settings when there is one', () => {
    const result = parseSettings('processes:\n  a: { restart: no }\n  b: { autostart: 1, max_restarts: -1 }\n', FILE);
    expect(result.diagnostics).toHaveLength(3);
    expect(result.processes).toEqual([]);
  });
});

describe('devrun.yaml against the Procfile: names, conditions, cycles, depth', () => {
  const check = (entries: ProcfileEntry[], text: string) => {
    const processes = only(text);
    const result = checkDependencies(FILE, entries, processes);
    return { errors: result.diagnostics.map(formatDiagnostic), depth: Object.fromEntries(result.depth) };
  };

  it('depth: what depends on nothing is 0, the rest one more than their deepest dependency', () => {
    const { errors, depth } = check(
      procfile('web', 'worker', 'css'),
      'processes:\n  db: { cmd: postgres, ready: { port: 5432 } }\n  migrate: { cmd: rake db:migrate, depends_on: { db: ready } }\n  web: { depends_on: { migrate: succeeded, db: ready } }\n  worker: { depends_on: [db] }\n',
    );
    expect(errors).toEqual([]);
    expect(depth).toEqual({ web: 2, worker: 1, css: 0, db: 0, migrate: 1 });
  });

  it('names a cycle as its loop', () => {
    const { errors } = check(
      procfile('web', 'migrate'),
      'processes:\n  migrate: { depends_on: [web] }\n  web: { depends_on: [migrate] }\n',
    );
    expect(errors).toEqual(['devrun.yaml:2: processes.migrate: dependency cycle: migrate → web → migrate']);
  });

  it.each([
    [
      'an unknown dependency',
      procfile('web'),
      'processes:\n  web: { depends_on: [dbb] }\n',
      'devrun.yaml:2: processes.web: depends on dbb, which is not a process (web)',
    ],
    ['itself', procfile('web'), 'processes:\n  web: { depends_on: [web] }\n', 'devrun.yaml:2: processes.web: depends on itself'],
    [
      'ready without a probe',
      procfile('web', 'db'),
      'processes:\n  web: { depends_on: { db: ready } }\n',
      'devrun.yaml:2: processes.web: waits for db to be ready, but db has no ready probe: give it one, or wait for started',
    ],
    [
      'not in the Procfile and no cmd',
      procfile('web'),
      'processes:\n  wbe: { restart: always }\n',
      'devrun.yaml:2: processes.wbe: is not in the Procfile: give it a cmd, or fix the name',
    ],
    [
      'a cmd for a Procfile entry',
      procfile('web'),
      'processes:\n  web: { cmd: x }\n',
      'devrun.yaml:2: processes.web: has a cmd but the Procfile defines it too (line 1): keep one',
    ],
  ])('%s', (_what, entries, text, expected) => {
    expect(check(entries, text).errors).toEqual([expected]);
  });
});

describe('setting values', () => {
  it.each([
    [2, 2000],
    [1.5, 1500],
    ['500ms', 500],
    ['2s', 2000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    [' 3 ', 3000],
  ])('duration %j is %d ms', (raw, ms) => expect(parseDuration(raw)).toEqual({ value: ms }));
  it.each([-1, '2 days', '', 'ms', true])('duration %j is refused', (raw) => expect(parseDuration(raw)).toHaveProperty('problem'));

  it.each([
    [4096, 4096],
    ['64K', 65_536],
    ['512M', 536_870_912],
    ['1.5G', 1_610_612_736],
    ['10mb', 10_485_760],
    ['2GiB', 2_147_483_648],
  ])('size %j is %d bytes', (raw, bytes) => expect(parseByteSize(raw)).toEqual({ value: bytes }));
  it.each([0, -5, 1.5, '10T', 'M', '0K'])('size %j is refused', (raw) => expect(parseByteSize(raw)).toHaveProperty('problem'));

  it.each([
    ['TERM', 'SIGTERM'],
    ['sigint', 'SIGINT'],
    ['QUIT', 'SIGQUIT'],
  ])('signal %s is %s', (raw, signal) => expect(parseStopSignal(raw)).toEqual({ value: signal }));
  it.each(['STOP', '', 15])('signal %j is refused', (raw) => expect(parseStopSignal(raw)).toHaveProperty('problem'));
});

describe('run settings: a flag beats devrun.yaml, which beats the defaults', () => {
  const [file] = only(
    'processes:\n  web: { restart: always, max_restarts: 2, stop_timeout: 20s, stop_signal: INT, env: { A: "1" }, cwd: web, autostart: false }\n',
  );

  it('defaults when neither says', () => {
    expect(runSettings({}, undefined)).toEqual({
      restart: 'on-failure',
      maxRestarts: 10,
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 5000,
      env: {},
      cwd: undefined,
      autostart: true,
      dependsOn: {},
      ready: undefined,
      depth: 0,
      maxMemory: undefined,
      onDependencyRestart: 'keep',
    });
  });

  it('the file over the defaults, the flags over the file', () => {
    expect(runSettings({}, file)).toEqual({
      restart: 'always',
      maxRestarts: 2,
      stopSignal: 'SIGINT',
      stopTimeoutMs: 20_000,
      env: { A: '1' },
      cwd: 'web',
      autostart: false,
      dependsOn: {},
      ready: undefined,
      depth: 0,
      maxMemory: undefined,
      onDependencyRestart: 'keep',
    });
    expect(runSettings({ restart: 'never', maxRestarts: 0, timeoutSeconds: 1 }, file)).toMatchObject({
      restart: 'never',
      maxRestarts: 0,
      stopTimeoutMs: 1000,
    });
  });

  it('--max-memory beats max_memory; on_dependency_restart is read', () => {
    const [web] = only('processes:\n  web: { max_memory: 512M, on_dependency_restart: restart }\n');
    expect(runSettings({}, web)).toMatchObject({ maxMemory: 512 * 1024 ** 2, onDependencyRestart: 'restart' });
    expect(runSettings({ maxMemory: 1024 ** 3 }, web)).toMatchObject({ maxMemory: 1024 ** 3 });
    expect(runSettings({ maxMemory: 1024 ** 3 }, undefined)).toMatchObject({ maxMemory: 1024 ** 3, onDependencyRestart: 'keep' });
    expect(describeSettings(runSettings({ maxMemory: 64 * 1024 ** 2 }, web))).toBe(
      'restart on-failure (max 10) · stop TERM, kill after 5s · max memory 64 MiB · restarts with its dependencies',
    );
  });

  it('check describes them in one line', () => {
    expect(describeSettings(runSettings({}, undefined))).toBe('restart on-failure (max 10) · stop TERM, kill after 5s');
    expect(describeSettings(runSettings({}, file))).toBe(
      'restart always (max 2) · stop INT, kill after 20s · not started until asked · cwd web · env A',
    );
    const [db] = only(
      'processes:\n  db: { depends_on: { m: succeeded }, ready: { port: 5432, timeout: 90s, initial_delay: 500ms }, max_memory: 1.5G, watch: "src/**", watch_ignore: [dist] }\n',
    );
    expect(runSettings({}, db).watch).toEqual({ globs: ['src/**'], ignore: ['dist'] });
    expect(runSettings({}, file).watch).toBeUndefined();
    expect(describeSettings(runSettings({}, db))).toBe(
      'after m succeeded · ready: port 5432 (every 1s, up to 90s, from 500ms) · restart on-failure (max 10) · stop TERM, kill after 5s · max memory 1536 MiB · watch src/** (not dist)',
    );
  });
});

describe('the README documents every key', () => {
  it('each key of the table has its row', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const { key } of PROCESS_KEYS) {
      const row = readme.split('\n').find((l) => l.startsWith('| `') && l.split('|')[1]!.includes(`\`${key}\``));
      expect(row, key).toBeDefined();
      const does = row!
        .split(' | ')
        .at(-1)!
        .replace(/\|\s*$/, '')
        .trim();
      expect(does, key).not.toBe('');
    }
  });
});
