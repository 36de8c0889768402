import type { ControlTarget, StatusReport } from '../../src/control/target.js';

/**
 * An in-memory ControlTarget that records every action; status calls are only counted (the abuse tests
 * make tens of thousands, whose records would look like a leak). Shutdown resolves when the test says so.
 */
export function fakeTarget(processes: string[] = ['web.1', 'web.2', 'worker.1']) {
  const calls: { method: string; args: unknown[] }[] = [];
  const shutdown = { calls: 0, finish: () => {}, fail: (_error: Error) => {} };
  const counts = { status: 0 };
  const report: StatusReport = {
    version: 1,
    root: '/srv/app',
    procfile: '/srv/app/Procfile',
    pid: 4242,
    startedAt: '2026-12-01T05:00:00.000Z',
    processes: processes.map((name, index) => ({
      name,
      state: 'running',
      reason: null,
      pid: 5000 + index,
      restarts: 0,
      cpu: 1.5,
      rss: 52_428_800,
      startedAt: '2026-12-01T05:00:01.000Z',
      exit: null,
    })),
  };
  const record =
    (method: string) =>
    (...args: unknown[]): void => {
      calls.push({ method, args });
    };
  const target: ControlTarget = {
    status: () => {
      counts.status++;
      return report;
    },
    resolve(names) {
      const resolved: string[] = [];
      for (const name of names) {
        const matches = processes.filter((p) => p === name || p.startsWith(`${name}.`));
        if (matches.length === 0) {
          const suggestion = processes.map((p) => p.split('.')[0]!).find((entry) => entry[0] === name[0]);
          return { unknown: name, suggestion: suggestion ?? null, known: processes };
        }
        resolved.push(...matches);
      }
      return { names: resolved };
    },
    restart: record('restart'),
    stop: record('stop'),
    kill: record('kill'),
    start: record('start'),
    send: record('send'),
    shutdown: () => {
      calls.push({ method: 'shutdown', args: [] });
      shutdown.calls++;
      return new Promise<void>((resolve, reject) => {
        shutdown.finish = resolve;
        shutdown.fail = reject;
      });
    },
  };
  return { target, calls, counts, report, shutdown };
}
