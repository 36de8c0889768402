import { afterEach, describe, expect, it } from 'vitest';
import { LocalControl } from '../../src/control/local-control.js';
import type { ControlEvent } from '../../src/control/process-control.js';
import { makeSupervisor } from '../helpers/supervisor.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function local(commands: Record<string, string>) {
  const h = makeSupervisor(commands);
  let quits = 0;
  const control = new LocalControl(h.supervisor, () => quits++);
  const events: ControlEvent[] = [];
  control.subscribe((event) => events.push(event));
  cleanup = async () => {
    control.dispose();
    await h.cleanup();
  };
  return { ...h, control, events, quits: () => quits };
}

describe('LocalControl over a real supervisor', () => {
  it('turns line batches into "lines" events and answers windows, scrolls and searches from the rings', async () => {
    const l = local({ log: "printf '%s\\n' one two 'the needle' four" });
    l.supervisor.startAll();
    await l.waitState('log.1', (s) => s.status === 'exited', 'exited');
    const scope = { kind: 'process', name: 'log.1' } as const;
    const all = l.supervisor.logs.lines('log.1').toArray();
    const last = all.at(-1)!;
    expect(l.events).toContainEqual({ type: 'lines', proc: 'log.1', lastSeq: last.seq });
    expect(l.events.some((e) => e.type === 'state')).toBe(true);

    const window = await l.control.window(scope, null, 2);
    expect(window).toMatchObject({ following: true, below: 0 });
    expect(window.lines).toEqual(all.slice(-2));
    const up = await l.control.scroll(scope, null, -1, 2);
    expect(await l.control.window(scope, up, 2)).toMatchObject({ following: false, below: 1 });
    expect(await l.control.scroll(scope, up, 1, 2)).toBeNull();

    const needle = all.find((line) => line.text === 'the needle')!;
    const found = await l.control.findMatch(scope, 'NEEDLE', { anchorSeq: null, matchSeq: null }, 'older', 2);
    expect(found?.matchSeq).toBe(needle.seq);
    expect(await l.control.matches(scope, 'needle')).toEqual({ count: 1, seqs: [needle.seq] });
    expect(await l.control.text(scope, needle.seq, needle.seq + 1)).toBe('the needle\nfour');
  });

  it('commands reach the supervisor; clear-logs empties the ring and says so; quit goes to the owner', async () => {
    const l = local({ web: 'echo hi; exec sleep 30' });
    l.supervisor.startAll();
    await l.waitLine('web.1', 'hi');
    await l.control.command({ type: 'clear-logs', name: 'web.1' });
    expect(l.supervisor.logs.lines('web.1').size).toBe(0);
    expect(l.events.at(-1)).toEqual({ type: 'cleared', proc: 'web.1' });
    await l.control.command({ type: 'stop', name: 'web.1' });
    await l.waitState('web.1', (s) => s.status === 'stopped', 'stopped');
    await l.control.quit();
    expect(l.quits()).toBe(1);
    const chunks: Uint8Array[] = [];
    l.control.rawOutput('web.1', (chunk) => chunks.push(chunk))();
    expect(l.control.hasTerminal('web.1')).toBe(false);
    expect(Buffer.concat(chunks).length).toBe(0); // pipes: no terminal output to replay
  });
});
