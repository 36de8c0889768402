import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type LoadResult, loadProject } from '../../src/config/load-project.js';
import type { CommonOptions } from '../../src/config/options.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A temp project with the given files (a Buffer for raw bytes, undefined for a folder). */
function project(files: Record<string, string | Buffer | undefined>): string {
  dir = mkdtempSync(join(tmpdir(), 'devrun-load-'));
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

function load(root: string, options: Partial<CommonOptions> = {}): LoadResult {
  const common: CommonOptions = {
    procfile: undefined,
    config: undefined,
    env: undefined,
    root,
    formation: 'all=1',
    port: undefined,
    envOverride: false,
  };
  return loadProject({ ...common, ...options }, {});
}

/** The diagnostics as printed lines, paths shown from the project root. */
function problems(result: LoadResult, root: string): string[] {
  if (result.ok) return [];
  return result.diagnostics.map((d) => `${d.file.replace(`${root}/`, '')}:${d.line}: ${d.message}`);
}

const GOOD = 'web: serve\n';
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]);

describe('loadProject reads files as text', () => {
  const cases: Array<[name: string, files: Record<string, string | Buffer | undefined>, env: string[] | undefined, expected: string[]]> = [
    [
      'a binary Procfile',
      { Procfile: Buffer.concat([ELF, Buffer.from('\nweb: x\n')]) },
      undefined,
      ['Procfile:0: not a text file: a NUL byte at offset 7'],
    ],
    [
      'a Latin-1 Procfile',
      { Procfile: Buffer.from('web: echo caf\xe9\n', 'latin1') },
      undefined,
      ['Procfile:0: not a text file: invalid UTF-8 at offset 13'],
    ],
    ['a binary .env', { Procfile: GOOD, '.env': ELF }, undefined, ['.env:0: not a text file: a NUL byte at offset 7']],
    ['a binary -e file', { Procfile: GOOD, 'x.env': ELF }, ['x.env'], ['x.env:0: not a text file: a NUL byte at offset 7']],
    ['a folder as the Procfile', { Procfile: undefined }, undefined, ['Procfile:0: is a directory, not a Procfile']],
    ['a folder as the env file', { Procfile: GOOD, 'x.env': undefined }, ['x.env'], ['x.env:0: is a directory, not an env file']],
    ['a missing env file', { Procfile: GOOD }, ['x.env'], ['x.env:0: no such env file']],
  ];
  test.each(cases)('%s', (_name, files, env, expected) => {
    const root = project(files);
    const result = load(root, { env: env?.map((f) => join(root, f)) });
    expect(problems(result, root)).toEqual(expected);
  });

  test('a UTF-8 byte order mark is still skipped in both files', () => {
    const root = project({ Procfile: `\uFEFF${GOOD}`, '.env': '\uFEFFA=1\n' });
    const result = load(root);
    expect(problems(result, root)).toEqual([]);
    expect(result.ok && result.project.entries).toEqual([{ name: 'web', command: 'serve', line: 1 }]);
    expect(result.ok && result.project.env.A).toBe('1');
  });
});

describe('loadProject reads devrun.yaml beside the Procfile, or -c', () => {
  const SETTINGS = 'processes:\n  db: { cmd: run-db, ready: { port: 5432 } }\n  web: { depends_on: { db: ready } }\n';

  test('settings apply to Procfile entries; an entry it defines with cmd runs after them', () => {
    const root = project({ Procfile: 'web: serve\nworker: work\n', 'devrun.yaml': SETTINGS });
    const result = load(root);
    expect(problems(result, root)).toEqual([]);
    if (!result.ok) return;
    expect(result.project.settings.file).toBe(join(root, 'devrun.yaml'));
    expect(result.project.specs.map((s) => [s.name, s.command, s.port])).toEqual([
      ['web.1', 'serve', 5000],
      ['worker.1', 'work', 5100],
      ['db.1', 'run-db', 5200],
    ]);
    expect(result.project.settings.byEntry.get('web')?.dependsOn).toEqual({ db: 'ready' });
    expect(Object.fromEntries(result.project.settings.depth)).toEqual({ web: 1, worker: 0, db: 0 });
  });

  test('no devrun.yaml: a Procfile-only project, as before', () => {
    const root = project({ Procfile: GOOD });
    const result = load(root);
    expect(result.ok && result.project.settings).toEqual({ file: undefined, byEntry: new Map(), depth: new Map() });
  });

  test('-c names the file, relative to where devrun runs; a missing one is an error', () => {
    const root = project({ Procfile: GOOD, 'dev.yaml': 'processes:\n  web: { restart: always }\n' });
    const result = load(root, { config: join(root, 'dev.yaml') });
    expect(result.ok && result.project.settings.byEntry.get('web')?.restart).toBe('always');
    expect(problems(load(root, { config: join(root, 'nope.yaml') }), root)).toEqual(['nope.yaml:0: no such settings file']);
  });

  test('its errors come with the Procfile and .env ones, and nothing loads', () => {
    const root = project({ Procfile: 'web: serve\nweb: again\n', 'devrun.yaml': 'processes:\n  web: { depends_on: [dbb] }\n' });
    expect(problems(load(root), root)).toEqual([
      'Procfile:2: duplicate process name "web" (first defined on line 1)',
      'devrun.yaml:2: processes.web: depends on dbb, which is not a process (web)',
    ]);
  });
});
