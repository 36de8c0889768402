/**
 * Carries out one valid request on the ControlTarget and says what to answer.
 *
 * - Names are resolved here, through the target, before any action: a name that matches nothing fails
 *   the whole request with `unknown-process` (nothing is done), and the target's action methods only
 *   ever see process names. The result lists the processes acted on.
 * - `send` needs a name that resolves to exactly one process (`web` with two instances is refused).
 * - `shutdown` answers when the target's promise resolves; concurrent shutdown requests (from any
 *   connection) share one call to the target.
 * - `write`, `resize` and a `raw` subscription, like `send`, take one name that is one process; a raw
 *   subscription to a process without a terminal is refused (`no-terminal`).
 * - Subscriptions belong to the connection (its Session): the dispatcher resolves names, fills the new
 *   queue with what comes first (recent raw bytes, current states) and hooks it to the target.
 * - Whatever the target throws (or a shutdown rejecting) becomes an `internal` failure: the server
 *   never throws because of a request.
 */

import { wireLines } from './line-batch.js';
import { nameList } from './names.js';
import type { ControlEvent, ProcessControl, ProcessState, ResourceUsage } from './process-control.js';
import {
  type DashboardTopic,
  type Failure,
  MAX_FRAME,
  type NamesOp,
  type Ops,
  QUEUE_MAX_BYTES,
  QUEUE_MAX_ITEMS,
  type Request,
  type ResolveResult,
  type SubscribeArgs,
} from './protocol.js';
import { type EventQueue, LatestQueue, LineQueue, RawQueue, StateQueue } from './subscriptions.js';
import type { ControlTarget, DashboardTarget, LogLineReport } from './target.js';

/** The connection's side of subscriptions, and the protocol version it speaks. */
export interface Session {
  /** The version agreed in the hello: how log lines travel (line-batch.ts from 2 on). */
  readonly version: number;
  /**
   * Registers a queue; `attach` hooks it to its source and is given `wake` (call it after each push),
   * and returns the unhook. Returns the subscription's number, or undefined when the connection holds
   * as many as it may.
   */
  subscribe(queue: EventQueue, attach: (wake: () => void) => () => void): number | undefined;
  unsubscribe(subscription: number): void;
}

/** The `process` topic's queue key for the list of processes (no process name is empty). */
const LIST_KEY = '';
const LIMITS = { maxItems: QUEUE_MAX_ITEMS, maxBytes: QUEUE_MAX_BYTES };
/** Room in a frame for a `lines` answer's envelope. */
const LINES_BUDGET = MAX_FRAME - 4096;

export type Outcome = { ok: true; result: unknown } | { ok: false; error: Failure };

export class Dispatcher {
  private readonly target: ControlTarget;
  private shutdownPromise: Promise<void> | undefined;

  constructor(target: ControlTarget) {
    this.target = target;
  }

  /** A plain outcome when the answer is immediate, a promise for shutdown. Never throws or rejects. */
  dispatch(request: Request, session?: Session): Outcome | Promise<Outcome> {
    try {
      switch (request.op) {
        case 'status':
          return ok(this.target.status());
        case 'resolve':
          return ok(this.resolve(request.args.names));
        case 'restart':
        case 'stop':
        case 'kill':
        case 'start':
          return this.act(request.op, request.args.names);
        case 'send':
          return this.send(request.args);
        case 'shutdown':
          return this.shutdown();
        case 'reload': {
          const reloaded = this.target.reload();
          return reloaded.ok ? ok({ summary: reloaded.summary } satisfies Ops['reload']['result']) : fail('invalid-config', reloaded.error);
        }
        case 'lines':
          return this.lines(request.args, session?.version ?? 1);
        case 'write':
          return this.one(request.args.name, 'write to', (name) => {
            this.target.write(name, Buffer.from(request.args.data, 'base64'));
            return undefined;
          });
        case 'resize': {
          const { columns, rows, ifSize } = request.args;
          return this.one(request.args.name, 'resize', (name) => {
            if (!this.target.hasTerminal(name)) return noTerminal(name);
            const { previous, resized } = this.target.resize(name, columns, rows, ifSize);
            return ok({ name, previous, resized } satisfies Ops['resize']['result']);
          });
        }
        case 'subscribe':
          if (session === undefined) return fail('bad-request', 'subscriptions need a connection');
          return this.subscribe(request.args, session);
        case 'unsubscribe':
          session?.unsubscribe(request.args.subscription);
          return ok(null);
        case 'snapshot':
        case 'window':
        case 'scroll':
        case 'findMatch':
        case 'matches':
        case 'text':
        case 'command':
          return this.dashboardRequest(request, session?.version ?? 1);
      }
    } catch (error) {
      return internal(error);
    }
  }

  private resolve(names: string[]): ResolveResult {
    const resolved = this.target.resolve(names);
    if ('names' in resolved) return { names: resolved.names };
    return resolved;
  }

  private act(op: NamesOp, names: string[]): Outcome {
    const resolved = this.resolve(names);
    if (!('names' in resolved)) return unknownProcess(resolved);
    const reloadError = this.target[op](resolved.names);
    const result: Ops['restart']['result'] = { names: resolved.names };
    if (typeof reloadError === 'string') result.reloadError = reloadError;
    return ok(result);
  }

  private send({ name, text }: Ops['send']['args']): Outcome {
    return this.one(name, 'send to', (only) => {
      this.target.send(only, text);
      return undefined;
    });
  }

  /** Resolves a name that must be one process, acts on it, answers {name}; `act` may fail instead. */
  private one(name: string, verb: string, act: (name: string) => Outcome | undefined): Outcome {
    const resolved = this.resolveOne(name, verb);
    if (typeof resolved !== 'string') return resolved;
    return act(resolved) ?? ok({ name: resolved });
  }

  private resolveOne(name: string, verb: string): string | Outcome {
    const resolved = this.resolve([name]);
    if (!('names' in resolved)) return unknownProcess(resolved);
    const [only, ...others] = resolved.names;
    if (only === undefined || others.length > 0) {
      return fail('bad-request', `"${name}" is ${resolved.names.length} processes (${resolved.names.join(', ')}): ${verb} one of them`);
    }
    return only;
  }

  /** The newest lines that fit in one answer. */
  private lines({ names, last }: Ops['lines']['args'], version: number): Outcome {
    let processes: string[] | undefined;
    if (names !== undefined) {
      const resolved = this.resolve(names);
      if (!('names' in resolved)) return unknownProcess(resolved);
      processes = resolved.names;
    }
    const lines = this.target.lines(processes, last);
    let budget = LINES_BUDGET;
    let first = lines.length;
    while (first > 0) {
      const line = lines[first - 1]!;
      budget -= Buffer.byteLength(JSON.stringify(copyLine(line))) + 1;
      if (budget < 0) break;
      first--;
    }
    return ok({ lines: wireLines(lines.slice(first), version), omitted: first });
  }

  /** The ops of an attached dashboard, answered by the target's DashboardTarget. */
  private dashboardRequest(
    request: Extract<Request, { op: 'snapshot' | 'window' | 'scroll' | 'findMatch' | 'matches' | 'text' | 'command' }>,
    version: number,
  ): Outcome {
    const dashboard = this.target.dashboard;
    if (dashboard === undefined) return fail('bad-request', `unknown op "${request.op}"`);
    switch (request.op) {
      case 'snapshot': {
        const processes = [...dashboard.processes()];
        return ok({
          processes,
          usage: usageReport(dashboard.usage()),
          shutdown: dashboard.shutdownProgress(),
          terminals: terminalNames(dashboard, processes),
        } satisfies Ops['snapshot']['result']);
      }
      case 'window': {
        const { scope, anchorSeq, height, have } = request.args;
        const window = dashboard.window(scope, anchorSeq, height, have);
        return ok({ ...window, lines: wireLines(window.lines, version) });
      }
      case 'scroll': {
        const { scope, anchorSeq, delta, height } = request.args;
        return ok({ anchorSeq: dashboard.scroll(scope, anchorSeq, delta, height) } satisfies Ops['scroll']['result']);
      }
      case 'findMatch': {
        const { scope, query, from, direction, height } = request.args;
        return ok((dashboard.findMatch(scope, query, from, direction, height) ?? null) satisfies Ops['findMatch']['result']);
      }
      case 'matches': {
        const seqs = dashboard.matches(request.args.scope, request.args.query);
        return ok({ count: seqs.length, seqs } satisfies Ops['matches']['result']);
      }
      case 'text': {
        const { scope, fromSeq, toSeq } = request.args;
        return ok({ text: dashboard.text(scope, fromSeq, toSeq) } satisfies Ops['text']['result']);
      }
      case 'command': {
        const { command } = request.args;
        const names = [...('name' in command && command.name !== undefined ? [command.name] : [])];
        if (command.type === 'resize' && command.except !== undefined) names.push(command.except);
        const known = new Set(dashboard.processes().map((p) => p.name));
        const unknown = names.find((name) => !known.has(name));
        if (unknown !== undefined) {
          const resolved = this.resolve([unknown]);
          return unknownProcess('unknown' in resolved ? resolved : { unknown, suggestion: null, known: [...known] });
        }
        dashboard.command(command);
        return ok(null);
      }
    }
  }

  /** A dashboard topic: one queue that keeps the latest event per process (or the one usage sample). */
  private subscribeDashboard(topic: DashboardTopic, dashboard: DashboardTarget, session: Session): number | undefined {
    const queue = new LatestQueue();
    const processEvent = (name: string) => {
      const process = dashboard.processes().find((p) => p.name === name);
      if (process === undefined) return;
      queue.push(name, { topic: 'process', process, terminal: dashboard.hasTerminal(name), shutdown: dashboard.shutdownProgress() });
    };
    if (topic === 'process') for (const process of dashboard.processes()) processEvent(process.name);
    // The list changed (a reload): what waits for a process that left is dropped, and the list goes after
    // whatever waits (a client adds a process it does not know; the list then sets who is there, in order).
    const listEvent = (processes: readonly ProcessState[]) => {
      const names = new Set(processes.map((p) => p.name));
      queue.dropUnless((key) => key === LIST_KEY || names.has(key));
      const terminals = terminalNames(dashboard, processes);
      queue.pushLast(LIST_KEY, { topic: 'process', processes: [...processes], terminals, shutdown: dashboard.shutdownProgress() });
    };
    const take = (event: ControlEvent): boolean => {
      switch (event.type) {
        case 'state':
          if (topic !== 'process') return false;
          processEvent(event.process.name);
          return true;
        case 'lines':
          if (topic !== 'lines') return false;
          queue.push(event.proc, { topic: 'lines', proc: event.proc, lastSeq: event.lastSeq });
          return true;
        case 'usage':
          if (topic !== 'usage') return false;
          queue.push('', { topic: 'usage', usage: usageReport(event.usage) });
          return true;
        case 'cleared':
          if (topic !== 'cleared') return false;
          queue.push(event.proc ?? '', { topic: 'cleared', proc: event.proc });
          return true;
        case 'processes':
          if (topic !== 'process') return false;
          listEvent(event.processes);
          return true;
      }
    };
    return session.subscribe(queue, (wake) => {
      // "Who printed up to which line" changes with every chunk in a flood; a dashboard redraws at most
      // 10 times a second, so it hears at most that often (the queue keeps the latest per process).
      const paced = topic === 'lines' ? pace(wake, LINES_NOTICE_MS) : { call: wake, cancel: () => {} };
      const off = dashboard.subscribe((event) => {
        if (take(event)) paced.call();
      });
      return () => {
        off();
        paced.cancel();
      };
    });
  }

  private subscribe(args: SubscribeArgs, session: Session): Outcome {
    const busy = (): Outcome => fail('busy', 'this connection holds as many subscriptions as it may');
    if (isDashboardTopic(args)) {
      const dashboard = this.target.dashboard;
      if (dashboard === undefined) return fail('bad-request', `subscribe: unknown topic "${args.topic}"`);
      const id = this.subscribeDashboard(args.topic, dashboard, session);
      return id === undefined ? busy() : ok({ subscription: id, names: null });
    }
    if (args.topic === 'raw') {
      const name = this.resolveOne(args.name, 'subscribe to');
      if (typeof name !== 'string') return name;
      if (!this.target.hasTerminal(name)) return noTerminal(name);
      const queue = new RawQueue(LIMITS);
      queue.push(this.target.rawOutput(name));
      const id = session.subscribe(queue, (wake) =>
        this.target.onRaw(name, (chunk) => {
          queue.push(chunk);
          wake();
        }),
      );
      return id === undefined ? busy() : ok({ subscription: id, name });
    }
    let selected: Set<string> | undefined;
    if (args.names !== undefined) {
      const resolved = this.resolve(args.names);
      if (!('names' in resolved)) return unknownProcess(resolved);
      selected = new Set(resolved.names);
    }
    const wanted = (name: string) => selected === undefined || selected.has(name);
    const names = selected === undefined ? null : [...selected];
    if (args.topic === 'logs') {
      const queue = new LineQueue(LIMITS, session.version);
      const id = session.subscribe(queue, (wake) =>
        this.target.onLines((lines) => {
          const mine = selected === undefined ? lines : lines.filter((line) => wanted(line.proc));
          if (mine.length === 0) return;
          queue.push(mine);
          wake();
        }),
      );
      return id === undefined ? busy() : ok({ subscription: id, names });
    }
    const queue = new StateQueue();
    for (const process of this.target.status().processes) if (wanted(process.name)) queue.push(process);
    const id = session.subscribe(queue, (wake) =>
      this.target.onState((process) => {
        if (!wanted(process.name)) return;
        queue.push(process);
        wake();
      }),
    );
    return id === undefined ? busy() : ok({ subscription: id, names });
  }

  private async shutdown(): Promise<Outcome> {
    try {
      this.shutdownPromise ??= this.target.shutdown();
      await this.shutdownPromise;
      return ok(null);
    } catch (error) {
      // A failed shutdown may be asked again.
      this.shutdownPromise = undefined;
      return internal(error);
    }
  }
}

function ok(result: unknown): Outcome {
  return { ok: true, result };
}

function fail(code: Failure['code'], message: string, details?: unknown): Outcome {
  const error: Failure = { code, message };
  if (details !== undefined) error.details = details;
  return { ok: false, error };
}

function internal(error: unknown): Outcome {
  return fail('internal', error instanceof Error ? error.message : String(error));
}

function isDashboardTopic(args: SubscribeArgs): args is { topic: DashboardTopic } {
  return args.topic === 'process' || args.topic === 'lines' || args.topic === 'usage' || args.topic === 'cleared';
}

function usageReport(usage: ReadonlyMap<string, ResourceUsage>): Ops['snapshot']['result']['usage'] {
  const report: Ops['snapshot']['result']['usage'] = {};
  for (const [name, { cpu, rss }] of usage) report[name] = { cpu, rss };
  return report;
}

function copyLine({ seq, ts, proc, stream, text }: LogLineReport): LogLineReport {
  return { seq, ts, proc, stream, text };
}

function noTerminal(name: string): Outcome {
  return fail('no-terminal', `${name} runs on pipes: use \`devrun send\` or \`devrun logs -f\``, { name });
}

function unknownProcess(resolved: Exclude<ResolveResult, { names: string[] }>): Outcome {
  const { unknown, suggestion, known } = resolved;
  const hint =
    suggestion !== null ? `did you mean "${suggestion}"?` : known.length === 0 ? 'there are no processes' : `processes: ${nameList(known)}`;
  return fail('unknown-process', `no process named "${unknown}": ${hint}`, { unknown, suggestion, known });
}

/** How often a dashboard hears that lines were printed, at most. */
const LINES_NOTICE_MS = 100;

/** Calls `fn` at once when idle, then at most once per `ms` (the last call in a burst is never lost). */
function pace(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const fire = () => {
    timer = undefined;
    if (!pending) return;
    pending = false;
    fn();
    timer = setTimeout(fire, ms);
  };
  return {
    call() {
      pending = true;
      if (timer === undefined) fire();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The names of the processes that run on a terminal (their raw output is a screen to emulate). */
function terminalNames(dashboard: Pick<ProcessControl, 'hasTerminal'>, processes: readonly ProcessState[]): string[] {
  return processes.filter((p) => dashboard.hasTerminal(p.name)).map((p) => p.name);
}
