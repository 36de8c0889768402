import type { ControlTarget, LogLineReport, ProcessStatusReport, StatusReport } from '../../src/control/target.js';

/**
 * An in-memory ControlTarget that records every action; status calls are only counted (the abuse tests
 * make tens of thousands, whose records would look like a leak). Shutdown resolves when the test says so.
 */
export function fakeTarget(processes: string[] = ['web.1', 'web.2', 'worker.1'], { pipes = [] as string[] } = {}) {
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
  const log: LogLineReport[] = [];
  const lineListeners = new Set<(lines: readonly LogLineReport[]) => void>();
  const stateListeners = new Set<(process: ProcessStatusReport) => void>();
  const rawListeners = new Map<string, Set<(chunk: Uint8Array) => void>>();
  const recentRaw = new Map<string, Buffer>();
  let seq = 0;
  const sizes = new Map<string, { columns: number; rows: number }>();
  const streams = {
    /** Appends lines (kept in `log`, not bounded) and hands them to line listeners as one batch. */
    print(proc: string, ...texts: string[]): LogLineReport[] {
      const lines = texts.map((text) => ({ seq: ++seq, ts: Date.now(), proc, stream: 'stdout', text }));
      log.push(...lines);
      for (const listener of lineListeners) listener(lines);
      return lines;
    },
    state(name: string, state: string): void {
      const process = report.processes.find((p) => p.name === name)!;
      process.state = state;
      for (const listener of stateListeners) listener({ ...process });
    },
    raw(name: string, chunk: Uint8Array): void {
      recentRaw.set(name, Buffer.concat([recentRaw.get(name) ?? Buffer.alloc(0), chunk]));
      for (const listener of rawListeners.get(name) ?? []) listener(chunk);
    },
    /** Listeners hooked now: what the server's subscriptions hold on to. */
    listeners: () => lineListeners.size + stateListeners.size + [...rawListeners.values()].reduce((n, set) => n + set.size, 0),
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
    restart: (names) => {
      record('restart')(names);
      return undefined;
    },
    reload: () => ({ ok: true, summary: 'reload: 0 unchanged' }),
    stop: record('stop'),
    kill: record('kill'),
    start: record('start'),
    send: record('send'),
    lines: (names, last) => log.filter((line) => names === undefined || names.includes(line.proc)).slice(-last),
    onLines(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    hasTerminal: (name) => !pipes.includes(name),
    rawOutput: (name) => recentRaw.get(name) ?? Buffer.alloc(0),
    onRaw(name, listener) {
      const set = rawListeners.get(name) ?? new Set();
      rawListeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    write: (name, data) => {
      calls.push({ method: 'write', args: [name, Buffer.from(data).toString()] });
    },
    // Sizes are remembered, not checked: the real rule (ifSize) is localTarget's, tested over a supervisor.
    resize: (name, columns, rows, ifSize) => {
      calls.push({ method: 'resize', args: ifSize === undefined ? [name, columns, rows] : [name, columns, rows, ifSize] });
      const previous = sizes.get(name) ?? { columns: 80, rows: 24 };
      sizes.set(name, { columns, rows });
      return { previous, resized: true };
    },
    shutdown: () => {
      calls.push({ method: 'shutdown', args: [] });
      shutdown.calls++;
      return new Promise<void>((resolve, reject) => {
        shutdown.finish = resolve;
        shutdown.fail = reject;
      });
    },
  };
  return { target, calls, counts, report, shutdown, streams, log };
}
