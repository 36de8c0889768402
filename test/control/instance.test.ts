import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findInstance } from '../../src/control/find-instance.js';
import { instanceKey } from '../../src/control/instance-key.js';
import { ensureDevrunDir } from '../../src/control/private-dir.js';
import { type InstanceRecord, listInstances, registerInstance } from '../../src/control/registry.js';
import { chooseSocketPath, fallbackSocketPath, MAX_SOCKET_PATH_BYTES } from '../../src/control/socket-path.js';
import { parseStat, readProcInfo } from '../../src/engine/proc-table.js';
import { waitFor } from '../helpers/wait.js';

const uid = process.getuid!();
let base: string;
let tmpBase: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'devrun-inst-')));
  tmpBase = join(base, 'tmp');
  mkdirSync(tmpBase);
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  rmSync(base, { recursive: true, force: true });
});

/** A project folder holding the given Procfiles. */
function project(name: string, procfiles: string[] = ['Procfile']): string {
  const root = join(base, name);
  mkdirSync(root, { recursive: true });
  for (const file of procfiles) writeFileSync(join(root, file), 'web: serve\n');
  return root;
}

function mode(path: string): string {
  return (lstatSync(path).mode & 0o7777).toString(8);
}

function register(root: string, procfile = 'Procfile', pid?: number) {
  const registration = registerInstance({ key: instanceKey(root, join(root, procfile)), socket: join(root, 's.sock'), pid });
  if (!registration.ok) throw new Error(registration.reason);
  return registration;
}

test('parseStat reads the start time (field 22) past a command name with spaces and parentheses', () => {
  const rest = Array.from({ length: 16 }, (_, i) => String(i + 6)).join(' ');
  expect(parseStat(`42 (a) b (c)) S 1 42 ${rest} 987654 0 0`)).toEqual({ pid: 42, ppid: 1, pgrp: 42, state: 'S', startTime: 987654 });
});

describe('instance key', () => {
  test('an id per root and Procfile real paths', () => {
    const root = project('app', ['Procfile', 'Procfile.test']);
    symlinkSync(root, join(base, 'link'));
    const key = instanceKey(root, join(root, 'Procfile'));
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(instanceKey(join(base, 'link'), join(base, 'link', 'Procfile'))).toEqual(key);
    expect(instanceKey(root, join(root, 'Procfile.test')).id).not.toBe(key.id);
  });
});

describe('socket path choice', () => {
  test('a short root gets <root>/.devrun/<id>.sock, which binds and connects', async () => {
    const root = project('app');
    const key = instanceKey(root, join(root, 'Procfile'));
    const chosen = chooseSocketPath(key, { tmpBase });
    expect(chosen).toEqual({ ok: true, path: join(root, '.devrun', `${key.id}.sock`) });
    if (!chosen.ok) return;
    const server = createServer((socket) => socket.end('hi'));
    await new Promise<void>((done) => server.listen(chosen.path, done));
    const client = createConnection(chosen.path);
    const [data] = await once(client, 'data');
    expect(String(data)).toBe('hi');
    await new Promise((done) => server.close(done));
  });

  test('a root too deep for a unix socket path falls back to <tmp>/devrun-<uid>/<id>.sock', () => {
    const root = project(`deep/${'d'.repeat(60)}/${'e'.repeat(40)}`);
    const key = instanceKey(root, join(root, 'Procfile'));
    expect(Buffer.byteLength(join(root, '.devrun', `${key.id}.sock`))).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    expect(chooseSocketPath(key, { tmpBase })).toEqual({ ok: true, path: join(tmpBase, `devrun-${uid}`, `${key.id}.sock`) });
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const room = MAX_SOCKET_PATH_BYTES - 1 - `${base}/`.length - '/.devrun/0123456789abcdef.sock'.length;
    const root = project('é'.repeat(room));
    const key = instanceKey(root, join(root, 'Procfile'));
    const preferred = join(root, '.devrun', `${key.id}.sock`);
    expect(preferred.length).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(Buffer.byteLength(preferred)).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    expect(chooseSocketPath(key, { tmpBase })).toEqual({ ok: true, path: join(tmpBase, `devrun-${uid}`, `${key.id}.sock`) });
  });
});

describe('the fallback folder', () => {
  const key = () => instanceKey(project('app'), join(base, 'app', 'Procfile'));
  const dir = () => join(tmpBase, `devrun-${uid}`);

  test('is created 0700', () => {
    expect(fallbackSocketPath(key(), { tmpBase }).ok).toBe(true);
    expect(lstatSync(dir()).isDirectory()).toBe(true);
    expect(mode(dir())).toBe('700');
  });

  test('is accepted again when it is ours and 0700', () => {
    mkdirSync(dir(), { mode: 0o700 });
    expect(fallbackSocketPath(key(), { tmpBase }).ok).toBe(true);
  });

  const refusals: Array<[string, () => void, RegExp]> = [
    ['mode 0755', () => chmodSync(dir(), 0o755), /its mode is 0755, not 0700/],
    [
      'a symlink',
      () => {
        rmSync(dir(), { recursive: true });
        symlinkSync(join(base, 'elsewhere'), dir());
      },
      /it is a symlink/,
    ],
    [
      'a file',
      () => {
        rmSync(dir(), { recursive: true });
        writeFileSync(dir(), '');
      },
      /it is not a folder/,
    ],
  ];
  test.each(refusals)('is refused with one line when %s', (_what, spoil, message) => {
    mkdirSync(join(base, 'elsewhere'), { mode: 0o700 });
    mkdirSync(dir(), { mode: 0o700 });
    spoil();
    const result = fallbackSocketPath(key(), { tmpBase });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(message);
    expect(result.reason).toContain(dir());
    expect(result.reason).not.toContain('\n');
  });

  test.skipIf(uid !== 0)('is refused when someone else owns it', () => {
    mkdirSync(dir(), { mode: 0o700 });
    chownSync(dir(), 65534, 65534);
    const result = fallbackSocketPath(key(), { tmpBase });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/it belongs to uid 65534, not to you \(uid 0\)/) });
  });
});

describe('.devrun', () => {
  test('is created 0700 with a .gitignore of *', () => {
    const root = project('app');
    expect(ensureDevrunDir(root)).toEqual({ ok: true, path: join(root, '.devrun'), private: true });
    expect(mode(join(root, '.devrun'))).toBe('700');
    expect(readFileSync(join(root, '.devrun', '.gitignore'), 'utf8')).toBe('*\n');
  });

  test('made by an earlier devrun with the default mode is tightened; its own .gitignore is kept', () => {
    const root = project('app');
    mkdirSync(join(root, '.devrun'), { mode: 0o755 });
    writeFileSync(join(root, '.devrun', '.gitignore'), 'pids.json\n');
    expect(ensureDevrunDir(root).ok).toBe(true);
    expect(mode(join(root, '.devrun'))).toBe('700');
    expect(readFileSync(join(root, '.devrun', '.gitignore'), 'utf8')).toBe('pids.json\n');
  });

  test.skipIf(uid !== 0)('owned by someone else is not private, so the socket goes to the fallback', () => {
    const root = project('app');
    mkdirSync(join(root, '.devrun'), { mode: 0o755 });
    chownSync(join(root, '.devrun'), 65534, 65534);
    expect(ensureDevrunDir(root)).toMatchObject({ ok: true, private: false });
    expect(mode(join(root, '.devrun'))).toBe('755');
    const key = instanceKey(root, join(root, 'Procfile'));
    expect(chooseSocketPath(key, { tmpBase })).toEqual({ ok: true, path: join(tmpBase, `devrun-${uid}`, `${key.id}.sock`) });
  });
});

describe('registry', () => {
  test('register, list, unregister', () => {
    const root = project('app');
    const registration = register(root);
    const file = join(root, '.devrun', 'instances', `${registration.record.id}.json`);
    expect(registration.file).toBe(file);
    expect(mode(file)).toBe('600');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      id: registration.record.id,
      root,
      procfile: join(root, 'Procfile'),
      pid: process.pid,
      pidStartTime: readProcInfo(process.pid)!.startTime,
      socket: join(root, 's.sock'),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(listInstances(root)).toEqual([registration.record]);
    registration.unregister();
    registration.unregister();
    expect(existsSync(file)).toBe(false);
    expect(listInstances(root)).toEqual([]);
  });

  test('unregister leaves a record that a later run wrote in its place', () => {
    const root = project('app');
    const first = register(root);
    const second = registerInstance({ ...first.record, key: instanceKey(root, join(root, 'Procfile')), startedAt: new Date(0) });
    if (!second.ok) throw new Error(second.reason);
    first.unregister();
    expect(listInstances(root)).toEqual([second.record]);
  });

  test('a record whose process died is dropped and its file deleted', async () => {
    const root = project('app');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    const registration = register(root, 'Procfile', child.pid);
    expect(listInstances(root)).toEqual([registration.record]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(listInstances(root)).toEqual([]);
    expect(existsSync(registration.file)).toBe(false);
  });

  test.skipIf(process.platform !== 'linux')('a zombie is dead', async () => {
    const root = project('app');
    // The child exits after its parent has exec'd into sleep, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const [line] = await once(parent.stdout!, 'data');
    const pid = Number.parseInt(String(line), 10);
    await waitFor(() => readProcInfo(pid)?.state === 'Z', { what: `pid ${pid} to be a zombie` });
    register(root, 'Procfile', pid);
    expect(listInstances(root)).toEqual([]);
  });

  test.skipIf(process.platform !== 'linux')('a live pid that started at another time (a reused pid) is not the instance', () => {
    const root = project('app');
    const registration = register(root);
    const record = JSON.parse(readFileSync(registration.file, 'utf8')) as InstanceRecord;
    writeFileSync(registration.file, JSON.stringify({ ...record, pidStartTime: record.pidStartTime! - 1 }));
    expect(listInstances(root)).toEqual([]);
    expect(existsSync(registration.file)).toBe(false);
  });

  test('records describing another root (a copied project) or not owned by us are ignored, not deleted', () => {
    const root = project('app');
    const other = project('copy');
    const registration = register(root);
    mkdirSync(join(other, '.devrun', 'instances'), { recursive: true });
    const copied = join(other, '.devrun', 'instances', `${registration.record.id}.json`);
    writeFileSync(copied, readFileSync(registration.file));
    expect(listInstances(other)).toEqual([]);
    expect(existsSync(copied)).toBe(true);
    if (uid === 0) {
      chownSync(registration.file, 65534, 65534);
      expect(listInstances(root)).toEqual([]);
      expect(existsSync(registration.file)).toBe(true);
    }
  });
});

describe('findInstance', () => {
  test("from a subfolder finds the root's instance", () => {
    const root = project('app');
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    const registration = register(root);
    expect(findInstance({ cwd: join(root, 'src', 'lib') })).toEqual({ ok: true, root, instance: registration.record });
  });

  test('two Procfiles running: without -f an error naming both, with -f the right one', () => {
    const root = project('app', ['Procfile', 'Procfile.test']);
    mkdirSync(join(root, 'src'));
    register(root, 'Procfile');
    const test = register(root, 'Procfile.test');
    expect(findInstance({ cwd: join(root, 'src') })).toEqual({
      ok: false,
      reason: `2 devruns run in ${root}: Procfile (pid ${process.pid}), Procfile.test (pid ${process.pid}); pass -f to pick one`,
    });
    expect(findInstance({ cwd: root, procfile: 'Procfile.test' })).toEqual({ ok: true, root, instance: test.record });
    expect(findInstance({ cwd: join(root, 'src'), procfile: '../Procfile.test' })).toEqual({ ok: true, root, instance: test.record });
  });

  test('with -f, a nested project running another Procfile is walked past', () => {
    const outer = project('outer', ['Procfile.test']);
    const inner = project('outer/inner');
    const wanted = register(outer, 'Procfile.test');
    register(inner);
    expect(findInstance({ cwd: inner, procfile: '../Procfile.test' })).toEqual({ ok: true, root: outer, instance: wanted.record });
  });

  test('with -f naming a Procfile nobody runs: the error says what does run', () => {
    const root = project('app', ['Procfile', 'Procfile.test']);
    register(root);
    expect(findInstance({ cwd: root, procfile: 'Procfile.test' })).toEqual({
      ok: false,
      reason: `no devrun runs ${join(root, 'Procfile.test')}; in ${root} runs Procfile (pid ${process.pid})`,
    });
  });

  test('nothing running: the error names the folder where the walk started', () => {
    const start = join(project('app'), 'src');
    mkdirSync(start);
    expect(findInstance({ cwd: start })).toEqual({ ok: false, reason: `no devrun runs here (looked in ${start} and its parents)` });
  });
});
