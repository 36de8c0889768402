import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/components/App.js';
import { LocalControl } from '../../src/control/local-control.js';
import { DashboardStore } from '../../src/state/store.js';
import { FakeControl } from '../helpers/fake-control.js';
import { makeSupervisor } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { plain } from './rows.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** The real App over LocalControl and a real supervisor, rendered by ink-testing-library (100 columns). */
async function mount(commands: Record<string, string>) {
  const h = makeSupervisor(commands);
  let quits = 0;
  const control = new LocalControl(h.supervisor, () => (quits += 1));
  const store = new DashboardStore(control, { minIntervalMs: 10 });
  const app = render(<App control={control} store={store} />);
  cleanup = async () => {
    app.unmount();
    store.dispose();
    control.dispose();
    await h.cleanup();
  };
  h.supervisor.startAll();
  const screen = () => plain(app.lastFrame());
  const waitScreen = (test: RegExp | string) =>
    waitFor(() => (typeof test === 'string' ? screen().includes(test) : test.test(screen())) && screen(), {
      what: `screen to show ${test}\n${screen()}`,
    });
  // Keys sent before useInput attaches are lost: wait for the first real frame.
  await waitScreen('running');
  return { ...h, app, screen, waitScreen, quits: () => quits };
}

describe('App', () => {
  it('/ searches: matches are highlighted, n jumps, a miss says so', async () => {
    const m = await mount({ web: 'for i in 1 2 3 4 5; do echo "line $i"; done; echo "the NEEDLE here"; echo after; exec sleep 300' });
    await m.waitScreen('after');
    m.app.stdin.write('/');
    await m.waitScreen('/ ');
    m.app.stdin.write('needle');
    await m.waitScreen('/needle');
    m.app.stdin.write('\r');
    await waitFor(() => m.app.lastFrame()!.includes('\x1b[7m'), { what: 'a highlighted match' });
    expect(m.screen()).toContain('the NEEDLE here');
    m.app.stdin.write('n');
    await m.waitScreen('no older match for "needle"');
  });

  it('j moves the selection and the pane to the next process in the same frame', async () => {
    const m = await mount({ web: 'echo WEB-LINE; exec sleep 300', api: 'echo API-LINE; exec sleep 300' });
    await m.waitScreen('WEB-LINE');
    const before = m.app.frames.length;
    m.app.stdin.write('j');
    await m.waitScreen('API-LINE');
    // Never the new selection over the old process's lines.
    const frames = m.app.frames.slice(before).map(plain);
    expect(frames.filter((f) => /›\s*api\.1/.test(f) && f.includes('WEB-LINE'))).toEqual([]);
  });

  it('? opens the help overlay generated from the keymap; Esc closes it', async () => {
    const m = await mount({ web: 'exec sleep 300' });
    m.app.stdin.write('?');
    await m.waitScreen('restart the process');
    expect(m.screen()).toContain('Merged-log filter (f)');
    m.app.stdin.write('\x1b');
    await waitFor(() => !m.screen().includes('restart the process'), { what: 'help closed' });
  });

  it('Tab shows the merged log; f filters it to a subset of processes', async () => {
    const m = await mount({ web: 'echo from-web; exec sleep 300', worker: 'echo from-worker; exec sleep 300' });
    m.app.stdin.write('\t');
    await m.waitScreen(/web\.1 +from-web[\s\S]*worker\.1 +from-worker|worker\.1 +from-worker[\s\S]*web\.1 +from-web/);
    m.app.stdin.write('f');
    await m.waitScreen('[x] web.1');
    m.app.stdin.write(' ');
    await m.waitScreen('[ ] web.1');
    m.app.stdin.write('\r');
    await m.waitScreen('all processes (1 of 2)');
    expect(m.screen()).not.toContain('from-web');
    expect(m.screen()).toContain('from-worker');
  });

  it('q asks to quit; keys typed together act one by one', async () => {
    const m = await mount({ a: 'exec sleep 300', b: 'exec sleep 300' });
    m.app.stdin.write('jq');
    await waitFor(() => m.quits() === 1, { what: 'quit requested' });
    await m.waitScreen(/b\.1 · running/);
  });
});

describe('App: Q', () => {
  it('asks on the footer line; n cancels, y stops everything (locally: as q)', async () => {
    const m = await mount({ web: 'exec sleep 300' });
    m.app.stdin.write('Q');
    await m.waitScreen('Stop every process and devrun? y/n');
    m.app.stdin.write('n');
    await m.waitScreen('Q stop all');
    expect(m.quits()).toBe(0);
    m.app.stdin.write('Q');
    await m.waitScreen('Stop every process and devrun? y/n');
    m.app.stdin.write('y');
    await waitFor(() => m.quits() === 1, { what: 'stop requested' });
  });
});

describe('App over a fake control', () => {
  it('draws the pulled window, scrolls through the control, and sends keys as commands', async () => {
    const control = new FakeControl(['web.1', 'api.1']);
    for (let i = 1; i <= 60; i++) control.print('web.1', `line ${i}`);
    const store = new DashboardStore(control, { minIntervalMs: 10 });
    const app = render(<App control={control} store={store} />);
    cleanup = async () => {
      app.unmount();
      store.dispose();
    };
    const screen = () => plain(app.lastFrame());
    await waitFor(() => screen().includes('line 60'), { what: 'the window' });
    expect(screen()).toContain('following');
    app.stdin.write('\x15'); // Ctrl-U: half a page up
    await waitFor(() => screen().includes('newer · End follows'), { what: `paused\n${screen()}` });
    expect(screen()).not.toContain('line 60');
    expect(control.requests.some((r) => r.kind === 'scroll')).toBe(true);
    app.stdin.write('r');
    await waitFor(() => control.commands.some((c) => c.type === 'restart'), { what: 'restart sent' });
    expect(control.commands).toContainEqual({ type: 'restart', name: 'web.1' });
    app.stdin.write('jq');
    await waitFor(() => control.quits === 1, { what: 'quit' });
    await waitFor(() => screen().includes('api.1 · running'), { what: 'api selected' });
  });

  it('L asks for a reload; when the selected process leaves the list, the selection moves to the last one left', async () => {
    const control = new FakeControl(['web.1', 'api.1', 'old.1']);
    const store = new DashboardStore(control, { minIntervalMs: 10 });
    const app = render(<App control={control} store={store} />);
    cleanup = async () => {
      app.unmount();
      store.dispose();
    };
    const screen = () => plain(app.lastFrame());
    await waitFor(() => screen().includes('web.1 · running'), { what: 'the first frame' });
    app.stdin.write('L');
    await waitFor(() => control.commands.some((c) => c.type === 'reload'), { what: 'reload sent' });
    app.stdin.write('jj');
    await waitFor(() => screen().includes('old.1 · running'), { what: `old selected\n${screen()}` });
    control.setProcesses(['web.1', 'api.1']);
    await waitFor(() => screen().includes('api.1 · running') && !screen().includes('old.1'), { what: `api selected\n${screen()}` });
  });
});

describe('App: crash alerts', () => {
  it('a crash elsewhere sets the title with OSC 2 and, with bell, rings once; looking at it restores "devrun"', async () => {
    const control = new FakeControl(['web.1', 'worker.1']);
    const store = new DashboardStore(control, { minIntervalMs: 10 });
    const app = render(<App control={control} store={store} bell />);
    cleanup = async () => {
      app.unmount();
      store.dispose();
    };
    await waitFor(() => plain(app.lastFrame()).includes('web.1 · running'), { what: 'first frame' });
    const written = () => app.frames.join('');
    expect(written()).not.toContain('\x1b]2;');
    control.setState('worker.1', { status: 'backoff', pid: undefined });
    await waitFor(() => written().includes('\x1b]2;devrun ✗ worker.1\x07'), { what: 'the alert title' });
    // One bell (BEL outside the OSC sequences), however many frames follow.
    control.setState('worker.1', { status: 'backoff', pid: undefined, restarts: 1 });
    await waitFor(() => plain(app.lastFrame()).includes('worker.1'), { what: 'another frame' });
    expect(
      written()
        .replace(/\x1b\]2;[^\x07]*\x07/g, '')
        .split('\x07'),
    ).toHaveLength(2);
    app.stdin.write('j');
    await waitFor(() => written().includes('\x1b]2;devrun\x07'), { what: 'the title restored' });
  });
});
