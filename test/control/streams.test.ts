import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, type ControlError } from '../../src/control/client.js';
import { encodeLines } from '../../src/control/line-batch.js';
import type { JsonObject } from '../../src/control/protocol.js';
import { EVENT_WATERMARK, MAX_FRAME, QUEUE_MAX_BYTES } from '../../src/control/protocol.js';
import { ControlServer } from '../../src/control/server.js';
import { LineQueue, RawQueue } from '../../src/control/subscriptions.js';
import type { LogLineReport } from '../../src/control/target.js';
import { waitFor } from '../helpers/wait.js';
import { fakeTarget } from './fake-target.js';
import { peers, request } from './peers.js';
import type { RawPeer } from './raw-peer.js';

let dir: string;
let socketCount = 0;
const cleanups: (() => unknown)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'devrun-streams-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function serve(...args: Parameters<typeof fakeTarget>) {
  const fake = fakeTarget(...args);
  const server = new ControlServer(fake.target);
  const path = join(dir, `s${socketCount++}.sock`);
  await server.listen(path);
  cleanups.push(() => server.close());
  return { ...fake, server, path };
}

const { connect, raw } = peers(cleanups);

/** Collects a subscription's events. */
function collector() {
  const events: JsonObject[] = [];
  const lines = () => events.flatMap((e) => (e.lines as LogLineReport[] | undefined) ?? []);
  return { events, lines, push: (event: JsonObject) => events.push(event) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('logs subscriptions', () => {
  it('delivers every new line of the named processes, in order, after the subscribe response', async () => {
    const { path, streams } = await serve();
    const client = await connect(path);
    const web = collector();
    const all = collector();
    expect(await client.subscribe({ topic: 'logs', names: ['web'] }, web.push)).toEqual({ subscription: 1, names: ['web.1', 'web.2'] });
    expect(await client.subscribe({ topic: 'logs' }, all.push)).toEqual({ subscription: 2, names: null });
    streams.print('web.1', 'one', 'two');
    streams.print('worker.1', 'busy');
    streams.print('web.2', 'three');
    await waitFor(() => all.lines().length === 4 && web.lines().length === 3, { what: 'the lines' });
    expect(web.lines().map((l) => `${l.proc} ${l.text}`)).toEqual(['web.1 one', 'web.1 two', 'web.2 three']);
    expect(all.lines().map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(all.lines()[0]).toEqual({ seq: 1, ts: expect.any(Number), proc: 'web.1', stream: 'stdout', text: 'one' });
    expect(all.events.every((e) => e.type === 'event' && e.topic === 'logs' && e.subscription === 2)).toBe(true);
  });

  it('refuses unknown names and topics; unsubscribe and closing unhook the target', async () => {
    const { path, streams } = await serve();
    const client = await connect(path);
    await expect(client.subscribe({ topic: 'logs', names: ['wbe'] }, () => {})).rejects.toMatchObject({ code: 'unknown-process' });
    await expect(client.request('subscribe', { topic: 'nope' } as never)).rejects.toMatchObject({ code: 'bad-request' });
    const seen = collector();
    const { subscription } = await client.subscribe({ topic: 'logs' }, seen.push);
    expect(streams.listeners()).toBe(1);
    expect(await client.request('unsubscribe', { subscription })).toBeNull();
    expect(streams.listeners()).toBe(0);
    streams.print('web.1', 'after');
    await client.request('status');
    await turn();
    expect(seen.events).toEqual([]);
    // Unknown subscriptions are not an error (one may end as the other side asks); `id` is accepted too.
    expect(await client.request('unsubscribe', { id: 99 } as never)).toBeNull();

    await client.subscribe({ topic: 'logs' }, () => {});
    await client.subscribe({ topic: 'state' }, () => {});
    expect(streams.listeners()).toBe(2);
    client.close();
    await waitFor(() => streams.listeners() === 0, { what: 'the subscriptions to be unhooked' });
  });
});

describe('lines', () => {
  it('answers the last N lines, of all processes or the named ones', async () => {
    const { path, streams } = await serve();
    const client = await connect(path);
    for (let i = 1; i <= 10; i++) streams.print(i % 2 ? 'web.1' : 'worker.1', `line ${i}`);
    const all = await client.request('lines', { last: 3 });
    expect(all.omitted).toBe(0);
    expect(all.lines.map((l) => l.text)).toEqual(['line 8', 'line 9', 'line 10']);
    const web = await client.request('lines', { names: ['web'], last: 2 });
    expect(web.lines.map((l) => l.text)).toEqual(['line 7', 'line 9']);
    await expect(client.request('lines', { last: 0 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.request('lines', { names: ['nope'], last: 1 })).rejects.toMatchObject({ code: 'unknown-process' });
  });

  it('leaves out the oldest lines that would not fit in one frame, and says how many', async () => {
    const { path, streams } = await serve();
    const client = await connect(path);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 15; i++) streams.print('web.1', `${i} ${big}`);
    const answer = await client.request('lines', { last: 15 });
    expect(answer.omitted).toBeGreaterThan(0);
    expect(answer.lines.length + answer.omitted).toBe(15);
    expect(answer.lines.at(-1)!.text.startsWith('14 ')).toBe(true);
  });
});

describe('how lines travel in each protocol version', () => {
  it('protocol 1 sends LogLine objects, 2 one LineBatch by column; ControlClient hands out the same lines', async () => {
    const { path, streams } = await serve();
    const printed = [...streams.print('web.1', 'one', 'two'), ...streams.print('worker.1', 'three')];
    const wire = async (versions: number[]) => {
      const peer = await raw(path);
      await peer.write(`{"type":"hello","versions":${JSON.stringify(versions)}}\n`);
      await peer.write(`${request(1, 'subscribe', { topic: 'logs' })}${request(2, 'lines', { last: 3 })}`);
      await peer.message((m) => m.id === 2, 'the lines answer');
      return peer;
    };
    const v1 = await wire([1]);
    const v2 = await wire([1, 2]);
    const client = await connect(path);
    const seen = collector();
    await client.subscribe({ topic: 'logs' }, seen.push);
    const live = streams.print('web.1', 'four', 'five');

    const answer = (peer: RawPeer) => peer.messages.find((m) => m.id === 2)!.result as JsonObject;
    const event = (peer: RawPeer) => peer.message((m) => m.type === 'event' && m.lines !== undefined, 'a logs event');
    expect(answer(v1).lines).toEqual(printed);
    expect((await event(v1)).lines).toEqual(live);
    expect(answer(v2).lines).toEqual(encodeLines(printed));
    expect((await event(v2)).lines).toEqual(encodeLines(live));
    expect((await client.request('lines', { last: 5 })).lines).toEqual([...printed, ...live]);
    await waitFor(() => seen.lines().length === 2, { what: 'the live lines through ControlClient' });
    expect(seen.lines()).toEqual(live);
  });
});

describe('raw, state, write and resize', () => {
  it('raw: the recent bytes first, then live; a process on pipes is refused with a hint', async () => {
    const { path, streams } = await serve(['web.1', 'worker.1'], { pipes: ['worker.1'] });
    streams.raw('web.1', Buffer.from('before\r\n'));
    const client = await connect(path);
    const seen = collector();
    expect(await client.subscribe({ topic: 'raw', name: 'web' }, seen.push)).toEqual({ subscription: 1, name: 'web.1' });
    streams.raw('web.1', Buffer.from('\x1b[1mafter\x1b[0m'));
    const bytes = () => Buffer.concat(seen.events.map((e) => Buffer.from(e.data as string, 'base64'))).toString();
    await waitFor(() => bytes() === 'before\r\n\x1b[1mafter\x1b[0m', { what: 'the raw bytes' });

    const refused = await client.subscribe({ topic: 'raw', name: 'worker.1' }, () => {}).catch((error: ControlError) => error);
    expect(refused).toMatchObject({ code: 'no-terminal', message: 'worker.1 runs on pipes: use `devrun send` or `devrun logs -f`' });
  });

  it('state: every current state first, then changes', async () => {
    const { path, streams } = await serve();
    const client = await connect(path);
    const seen = collector();
    await client.subscribe({ topic: 'state', names: ['web.2', 'worker'] }, seen.push);
    await waitFor(() => seen.events.length === 2, { what: 'the current states' });
    streams.state('web.1', 'crashed');
    streams.state('worker.1', 'stopping');
    streams.state('worker.1', 'stopped');
    await waitFor(() => seen.events.some((e) => (e.process as { state: string }).state === 'stopped'), { what: 'stopped' });
    const states = seen.events.map((e) => `${(e.process as { name: string }).name} ${(e.process as { state: string }).state}`);
    expect(states.slice(0, 2)).toEqual(['web.2 running', 'worker.1 running']);
    expect(states.at(-1)).toBe('worker.1 stopped');
    expect(states.some((s) => s.startsWith('web.1'))).toBe(false);
  });

  it('write passes bytes on as they are; resize sets one terminal', async () => {
    const { path, calls } = await serve(['web.1', 'worker.1'], { pipes: ['worker.1'] });
    const client = await connect(path);
    expect(await client.request('write', { name: 'web', data: Buffer.from('6*7\r\x03').toString('base64') })).toEqual({ name: 'web.1' });
    expect(await client.request('resize', { name: 'web.1', columns: 120, rows: 40 })).toEqual({
      name: 'web.1',
      previous: { columns: 80, rows: 24 },
      resized: true,
    });
    const back = await client.request('resize', { name: 'web.1', columns: 80, rows: 24, ifSize: { columns: 120, rows: 40 } });
    expect(back).toMatchObject({ previous: { columns: 120, rows: 40 } });
    expect(calls).toEqual([
      { method: 'write', args: ['web.1', '6*7\r\x03'] },
      { method: 'resize', args: ['web.1', 120, 40] },
      { method: 'resize', args: ['web.1', 80, 24, { columns: 120, rows: 40 }] },
    ]);
    await expect(client.request('resize', { name: 'web.1', columns: 8, rows: 2, ifSize: { columns: 0, rows: 2 } })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(client.request('write', { name: 'web', data: 'not base64!' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.request('resize', { name: 'web', columns: 0, rows: 1 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.request('resize', { name: 'worker', columns: 80, rows: 24 })).rejects.toMatchObject({ code: 'no-terminal' });
  });
});

describe('a subscriber that does not read', () => {
  it('gets a skipped marker when it reads again; devrun holds a bounded amount meanwhile; others are unaffected', async () => {
    const { path, server, streams } = await serve();
    const slow = await raw(path, { read: false });
    await slow.write(`{"type":"hello","versions":[1]}\n${request(1, 'subscribe', { topic: 'logs' })}`);
    const fast = await connect(path);
    const fastSeen = collector();
    await fast.subscribe({ topic: 'logs', names: ['web.1'] }, fastSeen.push);
    await waitFor(() => server.connectionCount === 2 && streams.listeners() === 2, { what: 'both subscribed' });

    // 20 MB of log lines, printed as a busy process would: batches, the event loop turning between.
    const text = 'y'.repeat(100);
    const batches = 2000;
    const perBatch = 100;
    let maxQueued = 0;
    for (let b = 0; b < batches; b++) {
      streams.print('web.1', ...Array.from({ length: perBatch }, (_, i) => `${b * perBatch + i} ${text}`));
      if (b % 10 === 0) await turn();
      maxQueued = Math.max(maxQueued, server.queuedBytes);
    }
    const total = batches * perBatch;
    // Per connection: the socket holds less than the watermark and one event, the queue its bound.
    expect(maxQueued).toBeLessThan(2 * (EVENT_WATERMARK + 256 * 1024 + QUEUE_MAX_BYTES));
    console.log(`printed ${total} lines (${(total * 110) / 1e6} MB); most bytes queued in devrun: ${maxQueued}`);

    // The fast reader got every line, with no gap.
    await waitFor(() => fastSeen.lines().length === total, { what: 'every line for the fast reader', timeoutMs: 20_000 });
    expect(fastSeen.events.some((e) => 'skipped' in e)).toBe(false);
    expect(fastSeen.lines().at(-1)!.text).toBe(`${total - 1} ${text}`);

    // The slow one was not disconnected; reading now, it gets what was in flight, a marker, the newest lines.
    expect(slow.closed).toBe(false);
    slow.startReading();
    const events = () => slow.messages.filter((m) => m.type === 'event');
    const lines = () => events().flatMap((e) => (e.lines as LogLineReport[] | undefined) ?? []);
    await waitFor(() => lines().at(-1)?.text === `${total - 1} ${text}`, { what: 'the last line for the slow reader', timeoutMs: 20_000 });
    const skipped = events().filter((e) => 'skipped' in e);
    expect(skipped.length).toBeGreaterThan(0);
    const skippedTotal = skipped.reduce((n, e) => n + (e.skipped as number), 0);
    expect(lines().length + skippedTotal).toBe(total);
    // Lines arrive in order, the gaps exactly where the markers are.
    let expected = 0;
    for (const event of events()) {
      if ('skipped' in event) expected += event.skipped as number;
      else for (const line of event.lines as LogLineReport[]) expect(Number(line.text.split(' ')[0])).toBe(expected++);
    }
    console.log(`slow reader: ${lines().length} lines delivered, ${skippedTotal} skipped in ${skipped.length} marker(s)`);
    await waitFor(() => server.queuedBytes === 0, { what: 'the queues to empty' });
  }, 60_000);
});

describe('queues', () => {
  it('LineQueue keeps the newest lines within its bounds and counts the rest', () => {
    const queue = new LineQueue({ maxItems: 3, maxBytes: 1_000_000 });
    queue.push([1, 2, 3, 4, 5].map((seq) => ({ seq, ts: 0, proc: 'a', stream: 'stdout', text: `${seq}` })));
    expect(queue.next(1000)).toEqual({ topic: 'logs', skipped: 2 });
    expect(queue.next(1000)).toMatchObject({ topic: 'logs', lines: [{ seq: 3 }, { seq: 4 }, { seq: 5 }] });
    expect(queue.next(1000)).toBeUndefined();
    expect(queue.bytes).toBe(0);
  });

  it('RawQueue drops the oldest bytes past its bound and splits big chunks over events', () => {
    const queue = new RawQueue({ maxItems: 100, maxBytes: 10 });
    queue.push(Buffer.from('abcdef'));
    queue.push(Buffer.from('ghijkl'));
    expect(queue.bytes).toBe(6);
    expect(queue.next(4)).toEqual({ topic: 'raw', skipped: 6 });
    expect(queue.next(4)).toEqual({ topic: 'raw', data: Buffer.from('ghij').toString('base64') });
    expect(queue.next(4)).toEqual({ topic: 'raw', data: Buffer.from('kl').toString('base64') });
    queue.push(Buffer.alloc(MAX_FRAME, 1));
    expect(queue.bytes).toBe(10);
  });
});
