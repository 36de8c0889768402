import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a user installs: `npm pack`, then the tarball installed globally into a temporary prefix without
 * the network, then the installed `devrun` run with only the system folders and node's on PATH. Catches
 * a file missing from the package, a library the bundle needs but no longer ships (they are
 * devDependencies), a broken bin link, and a native PTY module that does not load from the install.
 */
const REPO = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', dirname(process.execPath)].join(
  delimiter,
);

let work: string;
let prefix: string;

function npm(args: string[]): SpawnSyncReturns<string> {
  // npm's own debug logs go to the temp folder too: the test leaves nothing behind.
  return spawnSync('npm', [...args, '--logs-dir', join(work, 'npm-logs'), '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 40_000,
  });
}

/**
 * `npm ci` caches the abbreviated metadata it installs from, but a global install resolves the package's
 * dependencies from the full metadata, and an optional dependency it cannot fetch is skipped without an
 * error (devrun would then run without terminals). So the two packages this platform needs are put in the
 * cache first: offline when they are there, fetched once when they are not.
 */
function cacheRuntimeDependencies(): void {
  const pty = JSON.parse(readFileSync(join(REPO, 'node_modules/@lydell/node-pty/package.json'), 'utf8')) as {
    version: string;
    optionalDependencies: Record<string, string>;
  };
  const native = `@lydell/node-pty-${process.platform}-${process.arch}`;
  for (const spec of [`@lydell/node-pty@${pty.version}`, `${native}@${pty.optionalDependencies[native]}`]) {
    if (npm(['cache', 'add', '--offline', spec]).status === 0) continue;
    const added = npm(['cache', 'add', spec]);
    if (added.status !== 0) throw new Error(`npm cache add ${spec} failed (no network?):\n${added.stderr}`);
  }
}

/** The installed devrun, as a user's shell would run it: `devrun` found on a plain PATH. */
function devrun(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync('devrun', args, {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: `${join(prefix, 'bin')}${delimiter}${SYSTEM_PATH}`, HOME: work },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'devrun-install-'));
  prefix = join(work, 'prefix');
  // dist/ is fresh from the global setup; --ignore-scripts keeps `prepare` from rebuilding it under the
  // feet of the other test files that run it.
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', work]);
  expect(packed.stderr + packed.stdout).not.toMatch(/ERR!/);
  expect(packed.status).toBe(0);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  cacheRuntimeDependencies();
  const installed = npm(['install', '-g', '--prefix', prefix, '--offline', tarball]);
  if (installed.status !== 0) throw new Error(`offline install failed:\n${installed.stderr}`);
}, 90_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed offline into a prefix', () => {
  it('installs the devrun command and only the dependency the bundle leaves out', () => {
    const version = spawnSync(join(prefix, 'bin', 'devrun'), ['--version'], {
      encoding: 'utf8',
      env: { PATH: SYSTEM_PATH, HOME: work },
    });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);
    const modules = join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules');
    expect(readdirSync(modules)).toEqual(['@lydell']);
  });

  it('checks the example Procfile', () => {
    const result = devrun(['check', '-f', join(REPO, 'procfile.example')], work);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/5 entries, 5 processes/);
    expect(result.stdout).toMatch(/web\.1\s+PORT=5000\s+node examples\/web\.js/);
  });

  it('runs a process on a terminal: the native PTY module loads from the install', () => {
    const project = join(work, 'project');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project);
    writeFileSync(join(project, 'Procfile'), 'tty: if test -t 1; then echo on-a-terminal; else echo on-pipes; fi\n');
    const result = devrun(['--pty', '--no-tui', '--restart', 'never'], project);
    expect(result.stderr).not.toMatch(/no terminals/);
    expect(result.stdout).toMatch(/tty\.1\s+\| on-a-terminal/);
    expect(result.status).toBe(0);
  });

  it.skipIf(process.platform !== 'linux')("starts node with the flags of the bin's shebang (V8 young generation)", () => {
    const shebang = readFileSync(join(REPO, 'bin', 'devrun.js'), 'utf8').split('\n')[0];
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node --max-semi-space-size=\d+$/);
    const project = join(work, 'flags');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project);
    // On pipes the process's shell is a child of devrun's node: its command line is the parent's.
    writeFileSync(join(project, 'Procfile'), "flags: tr '\\0' ' ' < /proc/$PPID/cmdline\n");
    const result = devrun(['--no-tui', '--restart', 'never'], project);
    expect(result.stdout).toMatch(/flags\.1\s+\| node --max-semi-space-size=\d+ \S+\/bin\/devrun /);
    expect(result.status).toBe(0);
  });

  it('ships the dashboard chunk with everything it imports', () => {
    const chunks = join(prefix, 'lib', 'node_modules', pkg.name, 'dist', 'chunks');
    const tui = readdirSync(chunks).find((f) => f.startsWith('tui-'));
    expect(tui).toBeDefined();
    // Importing it loads Ink, React and yoga from the bundle; nothing may come from node_modules.
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(join(chunks, tui!))})`], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: SYSTEM_PATH, HOME: work },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
