import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describePortHolder, findPortHolder, parseListeners } from '../../src/engine/port-holder.js';
import { waitFor } from '../helpers/wait.js';

let server: Server | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

function listen(host: string): Promise<number> {
  server = createServer();
  return new Promise((resolve) => server!.listen(0, host, () => resolve((server!.address() as { port: number }).port)));
}

/** A node child listening on a free port with the given environment; resolves with its port. */
async function listeningChild(env: Record<string, string>): Promise<number> {
  const script = "const s = require('net').createServer().listen(0, '::', () => console.log(s.address().port))";
  child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return Number(await waitFor(() => out.includes('\n') && out.trim(), { what: 'the child to listen' }));
}

describe('findPortHolder', () => {
  it('names the process listening on an IPv4 port: this one', async () => {
    const port = await listen('127.0.0.1');
    const holder = findPortHolder(port);
    expect(holder?.pid).toBe(process.pid);
    expect(holder?.command).toContain('node');
  });

  it('reads the devrun run and process from the environment of a holder on IPv6', async () => {
    const port = await listeningChild({ DEVRUN_RUN_ID: 'earlier-run', PS: 'web.1' });
    const holder = findPortHolder(port);
    expect(holder).toMatchObject({ pid: child!.pid, runId: 'earlier-run', process: 'web.1' });
    expect(describePortHolder(holder!, 'this-run')).toMatch(
      new RegExp(`^pid ${child!.pid} \\(.*node -e .*\\), web\\.1 of an earlier devrun run$`),
    );
    expect(describePortHolder(holder!, 'earlier-run')).toMatch(/, web\.1 of this run$/);
  });

  it('a holder devrun did not start is named by pid and command only', async () => {
    const port = await listeningChild({});
    const holder = findPortHolder(port);
    expect(holder).toMatchObject({ pid: child!.pid, runId: undefined });
    expect(describePortHolder(holder!, 'this-run')).toMatch(new RegExp(`^pid ${child!.pid} \\([^)]*\\)$`));
  });

  it('nothing listening: undefined', async () => {
    const port = await listen('127.0.0.1');
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(findPortHolder(port)).toBeUndefined();
  });
});

describe('parseListeners', () => {
  it('keeps LISTEN rows only, by local port, with their inodes', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:1388 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1',
      '   2: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 777 1',
    ].join('\n');
    expect(parseListeners(table)).toEqual(
      new Map([
        [5000, ['4242']],
        [8080, ['777']],
      ]),
    );
  });
});
