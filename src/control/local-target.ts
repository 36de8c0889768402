import type { ProcessState } from '../engine/process-state.js';
import type { ResourceUsage } from '../engine/resource-sampler.js';
import type { Supervisor } from '../engine/supervisor.js';
import { perform } from './local-control.js';
import { allMatches, findMatch, logView, plainText, scrolledAnchor, visibleWindow } from './log-view.js';
import { resolveNames } from './names.js';
import type { ControlEvent } from './process-control.js';
import type { ControlTarget, DashboardTarget, LogLineReport, ProcessStatusReport, StatusReport } from './target.js';
import { windowDelta } from './window-delta.js';

export interface LocalRun {
  supervisor: Supervisor;
  /** Stops everything and ends the run; resolves once every process is gone. */
  shutdown(): Promise<void>;
  root: string;
  procfile: string;
  /** When devrun started (ms since the epoch). */
  startedAt: number;
  /** Where its log files go; undefined with --no-log-files. */
  logDir?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The ControlTarget of the run in this process: the supervisor for commands, the lifecycle for shutdown. */
export function localTarget(run: LocalRun): ControlTarget {
  const { supervisor } = run;
  const each = (names: string[], act: (name: string) => void) => {
    for (const name of names) act(name);
  };
  return {
    status: () => statusReport(run),
    resolve: (names) =>
      resolveNames(
        supervisor.processes().map((p) => p.name),
        names,
      ),
    restart: (names) => supervisor.restart(...names),
    stop: (names) => each(names, (n) => supervisor.stop(n)),
    kill: (names) => each(names, (n) => supervisor.kill(n)),
    start: (names) => each(names, (n) => supervisor.start(n)),
    send: (name, text) => supervisor.sendLine(name, text),
    shutdown: () => run.shutdown(),
    reload: () => supervisor.reload(),
    lines: (names, last) => lastLines(supervisor, names, last),
    onLines: (listener) =>
      supervisor.subscribe((event) => {
        if (event.type === 'lines') listener(event.batch.lines());
      }),
    onState: (listener) =>
      supervisor.subscribe((event) => {
        if (event.type === 'state') listener(processReport(event.process, supervisor.resourceUsage()));
      }),
    hasTerminal: (name) => supervisor.usesTerminals || supervisor.hasTerminal(name),
    rawOutput: (name) => supervisor.rawOutput(name),
    onRaw: (name, listener) => supervisor.onRaw(name, listener),
    write: (name, data) => supervisor.write(name, data),
    resize: (name, columns, rows, ifSize) => {
      const previous = supervisor.terminalSize(name);
      const resized = ifSize === undefined || (ifSize.columns === previous.columns && ifSize.rows === previous.rows);
      if (resized) supervisor.resizeOne(name, columns, rows);
      return { previous, resized };
    },
    dashboard: dashboardTarget(supervisor),
  };
}

/** An attached dashboard's requests, answered from the rings with log-view.ts, as LocalControl does. */
function dashboardTarget(supervisor: Supervisor): DashboardTarget {
  const known = (name: string) => supervisor.processes().some((p) => p.name === name);
  return {
    processes: () => supervisor.processes(),
    usage: () => supervisor.resourceUsage(),
    shutdownProgress: () => supervisor.shutdownProgress(),
    hasTerminal: (name) => supervisor.hasTerminal(name),
    window: (scope, anchorSeq, height, held) => {
      const view = logView(supervisor.logs, scope);
      const window = visibleWindow(view, anchorSeq, height);
      return (held && windowDelta(view, window, held)) ?? window;
    },
    scroll: (scope, anchorSeq, delta, height) => scrolledAnchor(logView(supervisor.logs, scope), anchorSeq, delta, height),
    findMatch: (scope, query, from, direction, height) => findMatch(logView(supervisor.logs, scope), from, query, direction, height),
    matches: (scope, query) => allMatches(logView(supervisor.logs, scope), query),
    text: (scope, fromSeq, toSeq) => plainText(logView(supervisor.logs, scope), fromSeq, toSeq),
    command: (command) => {
      if ('name' in command && command.name !== undefined && !known(command.name)) throw new Error(`no process named "${command.name}"`);
      if (command.type === 'resize' && command.except !== undefined && !known(command.except)) {
        throw new Error(`no process named "${command.except}"`);
      }
      perform(supervisor, command);
    },
    subscribe: (listener: (event: ControlEvent) => void) =>
      supervisor.subscribe((event) => {
        if (event.type !== 'lines') return listener(event);
        if (event.batch.count > 0) listener({ type: 'lines', proc: event.batch.proc, lastSeq: event.batch.lastSeq });
      }),
  };
}

/** The newest `last` lines of the merged ring, or of the named processes' rings merged by seq. */
function lastLines(supervisor: Supervisor, names: string[] | undefined, last: number): LogLineReport[] {
  if (names === undefined) return supervisor.logs.lines().slice(-last);
  const picked = names.flatMap((name) => supervisor.logs.lines(name).slice(-last));
  picked.sort((a, b) => a.seq - b.seq);
  return picked.slice(-last);
}

export function processReport(p: ProcessState, usage: ReadonlyMap<string, ResourceUsage>): ProcessStatusReport {
  return {
    name: p.name,
    state: p.status,
    reason: p.reason ?? null,
    pid: p.pid ?? null,
    restarts: p.restarts,
    cpu: usage.get(p.name)?.cpu ?? null,
    rss: usage.get(p.name)?.rss ?? null,
    startedAt: iso(p.startedAt),
    exit: p.lastExit ? { code: p.lastExit.code, signal: p.lastExit.signal } : null,
  };
}

export function statusReport(run: LocalRun): StatusReport {
  const usage = run.supervisor.resourceUsage();
  const processes = run.supervisor.processes().map((p) => processReport(p, usage));
  return {
    version: 1,
    root: run.root,
    procfile: run.procfile,
    pid: process.pid,
    startedAt: iso(run.startedAt)!,
    logDir: run.logDir ?? null,
    processes,
  };
}
