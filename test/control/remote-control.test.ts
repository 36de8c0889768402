import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, type ControlError } from '../../src/control/client.js';
import { localTarget } from '../../src/control/local-target.js';
import { logView, visibleWindow } from '../../src/control/log-view.js';
import type { ControlEvent, LogWindow } from '../../src/control/process-control.js';
import { RemoteControl } from '../../src/control/remote-control.js';
import { ControlServer } from '../../src/control/server.js';
import { heldOf } from '../../src/control/window-delta.js';
import { makeSupervisor } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { fakeTarget } from './fake-target.js';

let dir: string;
let sockets = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'devrun-remote-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real supervisor served by a real ControlServer, and a RemoteControl connected to it. */
async function attached(
  commands: Record<string, string>,
  options: { sampleIntervalMs?: number; reloadCommands?: () => Record<string, string> } = {},
) {
  const h = makeSupervisor(commands, options);
  cleanups.push(() => h.cleanup());
  let shutdowns = 0;
  const target = localTarget({
    supervisor: h.supervisor,
    shutdown: async () => {
      shutdowns += 1;
    },
    root: dir,
    procfile: join(dir, 'Procfile'),
    startedAt: Date.now(),
  });
  const server = new ControlServer(target);
  const path = join(dir, `s${sockets++}.sock`);
  await server.listen(path);
  cleanups.push(() => server.close());
  h.supervisor.startAll();
  const connect = async () => {
    const client = await ControlClient.connect(path);
    cleanups.push(() => client.close());
    let quits = 0;
    const control = await RemoteControl.open(client, () => quits++);
    cleanups.push(() => control.dispose());
    const events: ControlEvent[] = [];
    control.subscribe((event) => events.push(event));
    return { client, control, events, quits: () => quits };
  };
  return { ...h, server, connect, shutdowns: () => shutdowns };
}

describe('RemoteControl over a ControlServer and a real supervisor', () => {
  it("a reload asked over the socket: the added process appears, the removed one leaves the list once stopped, in the files' order", async () => {
    let files: Record<string, string> = { web: 'exec sleep 30', old: 'exec sleep 31' };
    const a = await attached(files, { reloadCommands: () => files });
    await a.waitState('old.1', (s) => s.status === 'running', 'running');
    const { control, events } = await a.connect();
    await waitFor(() => control.processes().every((p) => p.status === 'running'), { what: 'both running in the cache' });
    const oldPid = control.processes()[1]!.pid!;

    files = { db: 'exec sleep 32', web: 'exec sleep 30' };
    await control.command({ type: 'reload' });
    await waitFor(
      () =>
        control
          .processes()
          .map((p) => p.name)
          .join() === 'db.1,web.1',
      { what: 'old.1 gone, db.1 first' },
    );
    await waitFor(() => control.processes()[0]!.status === 'running', { what: 'db.1 running in the cache' });
    expect(events.some((e) => e.type === 'processes')).toBe(true);
    expect(a.supervisor.processes().map((p) => p.name)).toEqual(['db.1', 'web.1']);
    expect(a.survivors()).not.toContain(oldPid);
    // A dashboard attached now starts from the new list.
    const late = await a.connect();
    expect(late.control.processes().map((p) => p.name)).toEqual(['db.1', 'web.1']);
  });

  it('fills its cache from the snapshot and keeps it from events; windows, scrolls and searches are answered from the rings', async () => {
    const a = await attached({ log: "printf '%s\\n' one two 'the needle' four; exec sleep 30", quiet: 'exec sleep 30' });
    await a.waitLine('log.1', 'four');
    const { control, events } = await a.connect();
    expect(control.processes().map((p) => p.name)).toEqual(['log.1', 'quiet.1']);
    expect(control.shutdownProgress()).toBeNull();
    expect(control.hasTerminal('log.1')).toBe(false);
    await waitFor(() => control.processes().every((p) => p.status === 'running'), { what: 'both running in the cache' });

    const scope = { kind: 'process', name: 'log.1' } as const;
    const all = a.supervisor.logs.lines('log.1').toArray();
    const window = await control.window(scope, null, 2);
    expect(window).toEqual({ lines: all.slice(-2).map((l) => ({ ...l })), following: true, below: 0 });
    const up = await control.scroll(scope, null, -1, 2);
    expect(up).toBe(all.at(-2)!.seq);
    expect(await control.window(scope, up, 2)).toMatchObject({ following: false, below: 1 });
    expect(await control.scroll(scope, up, 1, 2)).toBeNull();
    const needle = all.find((line) => line.text === 'the needle')!;
    const found = await control.findMatch(scope, 'NEEDLE', { anchorSeq: null, matchSeq: null }, 'older', 2);
    expect(found?.matchSeq).toBe(needle.seq);
    expect(await control.findMatch(scope, 'NEEDLE', { anchorSeq: null, matchSeq: needle.seq }, 'older', 2)).toBeUndefined();
    expect(await control.matches(scope, 'needle')).toEqual({ count: 1, seqs: [needle.seq] });
    expect(await control.text(scope, needle.seq, needle.seq + 1)).toBe('the needle\nfour');
    const merged = await control.window({ kind: 'merged', only: ['quiet.1'] }, null, 50);
    expect(merged.lines.every((line) => line.proc === 'quiet.1')).toBe(true);

    // New lines arrive as notices without text; the window has them.
    a.supervisor.sendLine('log.1', 'typed');
    const notice = await waitFor(() => events.find((e) => e.type === 'lines' && e.proc === 'log.1'), { what: 'a lines notice' });
    expect(notice).toEqual({ type: 'lines', proc: 'log.1', lastSeq: a.supervisor.logs.lines('log.1').toArray().at(-1)!.seq });
    expect(Object.keys(notice)).not.toContain('text');
  });

  it('windows travel as deltas from the one the client holds; a client whose last line left the ring gets it whole', async () => {
    const a = await attached({ log: 'while read l; do if [ "$l" = flood ]; then seq 1 12000; else echo "got $l"; fi; done' });
    await a.waitState('log.1', (s) => s.status === 'running', 'running');
    const { client, control } = await a.connect();
    const scope = { kind: 'process', name: 'log.1' } as const;
    const whole = () => visibleWindow(logView(a.supervisor.logs, scope), null, 3);
    const ask = (held: LogWindow) => client.request('window', { scope, anchorSeq: null, height: 3, have: heldOf(held)! });
    a.supervisor.sendLine('log.1', 'one');
    await a.waitLine('log.1', 'got one');
    const first = await control.window(scope, null, 3);
    expect(first).toEqual(whole());

    a.supervisor.sendLine('log.1', 'two');
    await a.waitLine('log.1', 'got two');
    const delta = await ask(first); // what RemoteControl asks for now
    expect(delta).toMatchObject({ keep: 1, following: true, below: 0 });
    expect(delta.lines.map((line) => line.text)).toEqual(['two', 'got two']);
    const second = await control.window(scope, null, 3);
    expect(second).toEqual(whole());

    a.supervisor.sendLine('log.1', 'flood');
    await a.waitLine('log.1', '12000', 20_000);
    expect(a.supervisor.logs.lines('log.1').at(0)!.seq).toBeGreaterThan(second.lines.at(-1)!.seq);
    const after = await ask(second);
    expect(after.keep).toBeUndefined();
    expect(after.lines.map((line) => line.text)).toEqual(['11998', '11999', '12000']);
    expect(await control.window(scope, null, 3)).toEqual(whole());
  });

  it('commands reach the supervisor (restart: a new pid in the cache), clears reach every client, unknown names fail', async () => {
    const a = await attached({ web: 'echo hi; exec sleep 30' });
    await a.waitLine('web.1', 'hi');
    const first = await a.connect();
    const second = await a.connect();
    const pid = (await a.waitState('web.1', (s) => s.status === 'running', 'running')).pid;
    await first.control.command({ type: 'restart', name: 'web.1' });
    const restarted = (c: typeof first) =>
      c.control.processes()[0]!.status === 'running' && c.control.processes()[0]!.pid !== pid && c.control.processes()[0];
    const now = await waitFor(() => restarted(first), { what: 'the new pid in the first cache' });
    expect(now.restarts).toBe(0); // asked for: not counted
    expect(a.state('web.1').pid).toBe(now.pid);
    await waitFor(() => restarted(second), { what: 'the new pid in the second cache' });
    expect(first.events.some((e) => e.type === 'state' && e.process.status === 'stopping')).toBe(true);

    await second.control.command({ type: 'clear-logs', name: 'web.1' });
    expect(a.supervisor.logs.lines('web.1').size).toBe(0);
    for (const c of [first, second])
      await waitFor(() => c.events.some((e) => e.type === 'cleared' && e.proc === 'web.1'), { what: 'cleared' });

    await first.control.command({ type: 'send-line', name: 'web.1', text: 'hello' });
    await first.control.command({ type: 'stop', name: 'web.1' });
    await waitFor(() => first.control.processes()[0]!.status === 'stopped', { what: 'stopped in the cache' });
    const error = (await first.control.command({ type: 'restart', name: 'wbe.1' }).catch((e: ControlError) => e)) as ControlError;
    expect(error.code).toBe('unknown-process');

    // A pipe child has no terminal: raw output is nothing, and detaching is harmless.
    const chunks: Uint8Array[] = [];
    first.control.rawOutput('web.1', (chunk) => chunks.push(chunk))();
    // quit() detaches: it goes to the owner, nothing stops.
    await first.control.quit();
    expect(first.quits()).toBe(1);
    expect(a.state('web.1').status).toBe('stopped');
    expect(chunks).toEqual([]);
  });

  it('stopAll asks the devrun to shut down (quit only detaches)', async () => {
    const a = await attached({ web: 'exec sleep 30' });
    const { control, quits } = await a.connect();
    await control.quit();
    expect([quits(), a.shutdowns()]).toEqual([1, 0]);
    await control.stopAll();
    await waitFor(() => a.shutdowns() === 1, { what: 'the shutdown request' });
    expect(quits()).toBe(1);
  });

  it('usage samples reach the cache; the connection ending is seen by the client', async () => {
    const a = await attached({ web: 'exec sleep 30' }, { sampleIntervalMs: 100 });
    const { control, client, events } = await a.connect();
    await waitFor(() => control.usage().get('web.1'), { what: 'a usage sample' });
    expect(events.some((e) => e.type === 'usage')).toBe(true);
    await a.server.close();
    expect((await client.ended).code).toBe('closed');
    await expect(control.window({ kind: 'merged', only: null }, null, 5)).rejects.toMatchObject({ code: 'closed' });
  });

  it('a target without a dashboard side answers its ops and topics bad-request', async () => {
    const server = new ControlServer(fakeTarget().target);
    const path = join(dir, `s${sockets++}.sock`);
    await server.listen(path);
    cleanups.push(() => server.close());
    const client = await ControlClient.connect(path);
    cleanups.push(() => client.close());
    await expect(client.request('snapshot')).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.subscribe({ topic: 'lines' }, () => {})).rejects.toMatchObject({ code: 'bad-request' });
    await expect(RemoteControl.open(client, () => {})).rejects.toMatchObject({ code: 'bad-request' });
    expect((await client.request('status')).processes).toHaveLength(3);
  });
});
