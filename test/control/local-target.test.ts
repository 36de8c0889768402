import { afterEach, describe, expect, it } from 'vitest';
import { localTarget } from '../../src/control/local-target.js';
import { makeSupervisor } from '../helpers/supervisor.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function target() {
  const h = makeSupervisor({ app: 'exec sleep 30' });
  cleanups.push(() => h.cleanup());
  const run = { supervisor: h.supervisor, shutdown: async () => {}, root: '/tmp', procfile: '/tmp/Procfile', startedAt: Date.now() };
  return { ...h, target: localTarget(run) };
}

describe('localTarget resize', () => {
  it('says the size a terminal had; with ifSize it resizes only from that size (what connect gives back)', () => {
    const { supervisor, target: t } = target();
    const initial = supervisor.terminalSize('app.1');
    expect(t.resize('app.1', 100, 30)).toEqual({ previous: initial, resized: true });
    expect(supervisor.terminalSize('app.1')).toEqual({ columns: 100, rows: 30 });

    // Someone else sized it since: giving back the old size would undo their size.
    supervisor.resizeOne('app.1', 132, 50);
    expect(t.resize('app.1', initial.columns, initial.rows, { columns: 100, rows: 30 })).toEqual({
      previous: { columns: 132, rows: 50 },
      resized: false,
    });
    expect(supervisor.terminalSize('app.1')).toEqual({ columns: 132, rows: 50 });

    expect(t.resize('app.1', initial.columns, initial.rows, { columns: 132, rows: 50 })).toEqual({
      previous: { columns: 132, rows: 50 },
      resized: true,
    });
    expect(supervisor.terminalSize('app.1')).toEqual(initial);
  });
});
