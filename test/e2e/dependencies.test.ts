import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/control/target.js';
import { makeProject, runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
afterEach(async () => {
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  project?.cleanup();
  project = undefined;
});

const line = (name: string, text: string) => new RegExp(`^${name.replace('.', '\\.')} +\\| ${text}$`, 'm');
/** Where in the output a line (matched whole) first appears; failing when it is not there. */
const at = (out: string, name: string, text: string) => {
  const index = out.search(line(name, text));
  if (index < 0) expect.fail(`no line "${name} | ${text}" in:\n${out}`);
  return index;
};

/** A TCP port nothing listens on now (the kernel's pick), so parallel tests do not collide. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function status(p: NonNullable<typeof project>): Promise<StatusReport> {
  const r = await runCli(['status', '--json'], { cwd: p.dir, env: p.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StatusReport;
}
const stateOf = (report: StatusReport, name: string) => report.processes.find((x) => x.name === name);

describe('depends_on and ready in a run (real processes, headless)', () => {
  it('web waits for a server that binds its port on localhost after 2 s, then starts', async () => {
    const port = await freePort();
    const server = `node -e "setTimeout(() => require('http').createServer((q, s) => s.end('ok')).listen(${port}, 'localhost', () => console.log('bound')), 2000)"`;
    const p = use({
      Procfile: `server: ${server}\nweb: echo web up\n`,
      'devrun.yaml': `processes:\n  server: { ready: { port: ${port}, interval: 200ms } }\n  web: { depends_on: { server: ready }, restart: never }\n`,
    });
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(line('web.1', 'web up'), 15_000);
    const out = run.stdout();
    expect(out).toMatch(line('web.1', `waiting for server \\(port ${port}\\)`));
    expect(out).toMatch(line('server.1', `ready: port ${port} after \\d+(\\.\\d)?s`));
    expect(at(out, 'web.1', 'waiting for server .*')).toBeLessThan(at(out, 'server.1', 'bound'));
    expect(at(out, 'server.1', 'bound')).toBeLessThan(at(out, 'web.1', 'started with pid \\d+'));
    expect(at(out, 'server.1', 'ready: .*')).toBeLessThan(at(out, 'web.1', 'started with pid \\d+'));
    const report = await status(p);
    expect(stateOf(report, 'server.1')).toMatchObject({ state: 'ready', reason: null });
    expect(stateOf(report, 'web.1')).toMatchObject({ state: 'exited' });
    run.child.kill('SIGTERM');
    await run.exit;
  });

  it('a migrate one-shot must succeed before web starts; a failing one keeps web from starting, with the reason', async () => {
    const files = (migrate: string) => ({
      Procfile: `migrate: ${migrate}\nweb: echo web up\n`,
      'devrun.yaml': 'processes:\n  migrate: { restart: never }\n  web: { depends_on: { migrate: succeeded }, restart: never }\n',
    });
    const ok = use(files('sleep 0.5; echo migrated'));
    const good = await runCli(['--no-timestamps'], { cwd: ok.dir, env: ok.env });
    expect(good.stdout).toMatch(line('web.1', 'waiting for migrate \\(to succeed\\)'));
    expect(at(good.stdout, 'migrate.1', 'exited with code 0')).toBeGreaterThan(at(good.stdout, 'migrate.1', 'migrated'));
    expect(at(good.stdout, 'migrate.1', 'exited with code 0')).toBeLessThan(at(good.stdout, 'web.1', 'started with pid \\d+'));
    expect(good.stdout).toMatch(line('web.1', 'web up'));
    expect(good.code).toBe(0);

    ok.cleanup();
    const bad = use(files('echo migrating; exit 3'));
    const failed = await runCli(['--no-timestamps'], { cwd: bad.dir, env: bad.env });
    expect(failed.stdout).toMatch(line('web.1', 'not started: migrate crashed: exit 3'));
    expect(failed.stdout).not.toContain('web up');
    expect(failed.stdout).not.toMatch(line('web.1', 'started with pid'));
    // Nothing else was left to run: devrun ended, with migrate's code.
    expect(failed.code).toBe(3);
  });

  it('an HTTP probe: ready once the URL answers 2xx (503 before), and a dependent of an autostart: false process waits for s', async () => {
    const port = await freePort();
    const api = `node -e "const t = Date.now(); require('http').createServer((q, s) => { s.statusCode = Date.now() - t < 1000 ? 503 : 200; console.log('GET ' + s.statusCode); s.end(); }).listen(${port}, '127.0.0.1')"`;
    const p = use({
      Procfile: `api: ${api}\nweb: echo web up; exec sleep 300\n`,
      'devrun.yaml': [
        'processes:',
        `  api: { autostart: false, ready: { http: "http://127.0.0.1:${port}/health", interval: 200ms } }`,
        '  web: { depends_on: { api: ready } }',
        '',
      ].join('\n'),
    });
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(line('web.1', 'waiting for api \\(not started: s starts it\\)'));
    const waiting = await status(p);
    expect(stateOf(waiting, 'web.1')).toMatchObject({ state: 'waiting', reason: 'waiting for api (not started: s starts it)', pid: null });
    expect(stateOf(waiting, 'api.1')).toMatchObject({ state: 'stopped' });
    const text = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(text.stdout).toMatch(/^web\.1 +waiting for api \(not started: s starts it\)\s+0/m);

    expect((await runCli(['start', 'api'], { cwd: p.dir, env: p.env })).code).toBe(0);
    await run.waitOutput(line('web.1', 'web up'), 15_000);
    const out = run.stdout();
    expect(out).toMatch(line('web.1', `waiting for api \\(http://127\\.0\\.0\\.1:${port}/health → 200-399\\)`));
    expect(out).toMatch(line('api.1', 'GET 503'));
    // The 200 the probe got is printed by api on its own pipe: it may be read before or after devrun's ready line.
    expect(out).toMatch(line('api.1', 'GET 200'));
    expect(at(out, 'api.1', 'ready: http://.*')).toBeLessThan(at(out, 'web.1', 'started with pid \\d+'));
    const ready = await status(p);
    expect(stateOf(ready, 'api.1')!.state).toBe('ready');
    expect(stateOf(ready, 'web.1')!.state).toBe('running');
    run.child.kill('SIGTERM');
    await run.exit;
  });

  it('a log probe matches a line the process prints in two chunks', async () => {
    const printer = `node -e "process.stdout.write('listening '); setTimeout(() => process.stdout.write('on 4000\\\\n'), 40); setInterval(() => {}, 1000)"`;
    const p = use({
      Procfile: `printer: ${printer}\nweb: echo web up\n`,
      'devrun.yaml':
        'processes:\n  printer: { ready: { log: "listening on \\\\d+" } }\n  web: { depends_on: { printer: ready }, restart: never }\n',
    });
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(line('web.1', 'web up'));
    const out = run.stdout();
    expect(out).toMatch(line('printer.1', 'listening on 4000'));
    expect(out).toMatch(line('printer.1', 'ready: log /listening on \\\\d\\+/ after \\d+ms'));
    run.child.kill('SIGTERM');
    await run.exit;
  });

  it('a probe that times out: failed, "not ready after 1 s", and its dependents are not started', async () => {
    const p = use({
      Procfile: 'slow: echo booting; exec sleep 300\nweb: echo web up\n',
      'devrun.yaml': 'processes:\n  slow: { ready: { log: never, timeout: 1s } }\n  web: { depends_on: { slow: ready } }\n',
    });
    const run = await runCli(['--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(run.stdout).toMatch(line('slow.1', 'not ready after 1 s \\(log /never/\\): stopping it'));
    expect(run.stdout).toMatch(line('slow.1', 'not ready after 1 s \\(SIGTERM\\); not restarting it'));
    expect(run.stdout).toMatch(line('web.1', 'not started: slow failed: not ready after 1 s'));
    expect(run.stdout).not.toContain('web up');
    expect(run.code).not.toBe(0);
  });
});

describe('stopping in reverse dependency order', () => {
  /** Each process notes when its TERM handler begins and ends in stops.log, taking `grace` seconds. */
  const stopper = (name: string, grace: number) =>
    `${name}: trap 'echo "${name} begin $(date +%s%N)" >> stops.log; sleep ${grace}; echo "${name} end $(date +%s%N)" >> stops.log; exit 0' TERM; echo ${name} up; while :; do sleep 0.1; done`;
  const files = (grace: number) => ({
    Procfile: [stopper('db', grace), stopper('api', grace), stopper('worker', grace), stopper('web', grace), ''].join('\n'),
    'devrun.yaml': ['processes:', '  api: { depends_on: [db] }', '  worker: { depends_on: [db] }', '  web: { depends_on: [api] }', ''].join(
      '\n',
    ),
  });
  const upAll = async (run: ReturnType<typeof startCli>) => {
    for (const name of ['db', 'api', 'worker', 'web']) await run.waitOutput(line(`${name}.1`, `${name} up`));
  };

  it('deepest first, the same depth in parallel, the next depth once those ended', async () => {
    const p = use(files(0.6));
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await upAll(run);
    run.child.kill('SIGTERM');
    await run.exit;
    const stops = new Map(
      readFileSync(join(p.dir, 'stops.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([name, what, ns]) => [`${name} ${what}`, BigInt(ns!)]),
    );
    const t = (key: string) => stops.get(key) ?? expect.fail(`no "${key}" in stops.log`);
    expect(t('web end')).toBeLessThan(t('api begin'));
    expect(t('web end')).toBeLessThan(t('worker begin'));
    // api and worker (depth 1) stop together: each began before the other ended.
    expect(t('api begin')).toBeLessThan(t('worker end'));
    expect(t('worker begin')).toBeLessThan(t('api end'));
    expect(t('api end')).toBeLessThan(t('db begin'));
    expect(t('worker end')).toBeLessThan(t('db begin'));
    expect(p.survivors()).toEqual([]);
  });

  it('a second Ctrl-C kills everything at once', async () => {
    const p = use(files(30));
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await upAll(run);
    run.child.kill('SIGINT');
    const stops = join(p.dir, 'stops.log');
    await waitFor(() => existsSync(stops) && readFileSync(stops, 'utf8').includes('web begin'), { what: 'web to get TERM' });
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(run.stdout()).toContain('killing every process now');
    // Only web had been asked to stop gracefully; the rest were killed without a TERM.
    expect(readFileSync(stops, 'utf8')).not.toMatch(/^(db|api|worker) begin/m);
    expect(p.survivors()).toEqual([]);
  });
});

describe('start -D --wait and devrun wait', () => {
  it('start -D --wait returns once every process is up; a failure is named with exit 1', async () => {
    const port = await freePort();
    const server = `node -e "setTimeout(() => require('http').createServer().listen(${port}, '127.0.0.1'), 1500)"`;
    const p = use({
      Procfile: `db: ${server}\nweb: echo web up; exec sleep 300\n`,
      'devrun.yaml': `processes:\n  db: { ready: { port: ${port}, interval: 200ms } }\n  web: { depends_on: { db: ready } }\n`,
    });
    const started = await runCli(['start', '-D', '--wait'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    // At the moment it returned, both were up.
    const report = await status(p);
    expect(report.processes.map((x) => [x.name, x.state])).toEqual([
      ['db.1', 'ready'],
      ['web.1', 'running'],
    ]);
    expect((await runCli(['stop'], { cwd: p.dir, env: p.env })).code).toBe(0);

    p.cleanup();
    const bad = use({
      Procfile: 'migrate: exit 3\nweb: echo web up; exec sleep 300\n',
      'devrun.yaml': 'processes:\n  migrate: { restart: never }\n  web: { depends_on: { migrate: succeeded } }\n',
    });
    const failed = await runCli(['start', '-D', '--wait'], { cwd: bad.dir, env: bad.env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('devrun: migrate.1 crashed (exit 3)\n');
  });

  it('devrun wait NAMES --timeout: 1 naming what it still waits for; 0 once up', async () => {
    const p = use({
      Procfile: 'db: echo db up; exec sleep 300\nweb: echo web up; exec sleep 300\n',
      'devrun.yaml': 'processes:\n  db: { autostart: false }\n  web: { depends_on: [db] }\n',
    });
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(line('web.1', 'waiting for db .*'));
    const late = await runCli(['wait', 'web', '--timeout', '0.5'], { cwd: p.dir, env: p.env });
    expect(late.code).toBe(1);
    expect(late.stderr).toBe('devrun: not ready after 0.5 s: web.1 waiting for db (not started: s starts it)\n');
    const named = await runCli(['wait', 'db', 'web'], { cwd: p.dir, env: p.env });
    expect(named).toMatchObject({ code: 1, stderr: 'devrun: db.1 stopped\n' });
    expect((await runCli(['wait', 'webx'], { cwd: p.dir, env: p.env })).stderr).toContain('did you mean "web"');

    expect((await runCli(['start', 'db'], { cwd: p.dir, env: p.env })).code).toBe(0);
    const up = await runCli(['wait'], { cwd: p.dir, env: p.env });
    expect(up).toMatchObject({ code: 0, stderr: '' });
    await run.waitOutput(line('web.1', 'web up'));
    run.child.kill('SIGTERM');
    await run.exit;
  });
});
