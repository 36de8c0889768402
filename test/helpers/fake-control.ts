import { allMatches, findMatch, logView, plainText, scrolledAnchor, visibleWindow } from '../../src/control/log-view.js';
import type {
  ControlEvent,
  LogScope,
  ProcessCommand,
  ProcessControl,
  ProcessState,
  ResourceUsage,
  ShutdownProgress,
} from '../../src/control/process-control.js';
import { LogStore } from '../../src/engine/log-store.js';
import { state } from '../components/rows.js';

/**
 * An in-memory ProcessControl: processes are plain states the test sets, lines are appended by the
 * test, commands are recorded, not performed. Log requests are answered from a real LogStore with the
 * same pure functions LocalControl uses. With `holdAnswers`, requests wait until `release()`, to test
 * what the dashboard does while an answer is on its way (a slow remote).
 */
export class FakeControl implements ProcessControl {
  readonly logs = new LogStore();
  /** Every command, in order. */
  readonly commands: ProcessCommand[] = [];
  quits = 0;
  stopAlls = 0;
  /** Log requests made, by kind: what a remote client would send. */
  readonly requests: Array<{ kind: 'window' | 'scroll' | 'findMatch' | 'matches' | 'text'; scope: LogScope }> = [];
  holdAnswers = false;
  private held: Array<() => void> = [];
  private states: ProcessState[];
  private usageMap: ReadonlyMap<string, ResourceUsage> = new Map();
  private progress: ShutdownProgress | null = null;
  private readonly terminals = new Set<string>();
  private readonly raw = new Map<string, { recent: Uint8Array[]; listeners: Set<(chunk: Uint8Array) => void> }>();
  private readonly listeners = new Set<(event: ControlEvent) => void>();

  constructor(names: string[], over: Partial<ProcessState> = {}) {
    this.states = names.map((name, index) => fakeState(name, index, over));
  }

  // ---- what the test does to it ----

  /** `name` prints these lines (one event, as a supervisor batch). */
  print(name: string, ...texts: string[]): void {
    const lines = texts.map((text) => this.logs.append(name, 'stdout', text, 0));
    this.emit({ type: 'lines', proc: name, lastSeq: lines.at(-1)!.seq });
  }

  setState(name: string, over: Partial<ProcessState>): void {
    this.states = this.states.map((s) => (s.name === name ? { ...s, ...over } : s));
    this.emit({ type: 'state', process: this.states.find((s) => s.name === name)! });
  }

  /** The list of processes becomes `names` (a reload): those already there keep their state. */
  setProcesses(names: string[]): void {
    this.states = names.map((name, index) => this.states.find((s) => s.name === name) ?? fakeState(name, index, {}));
    this.emit({ type: 'processes', processes: this.states });
  }

  setUsage(usage: ReadonlyMap<string, ResourceUsage>): void {
    this.usageMap = usage;
    this.emit({ type: 'usage', usage });
  }

  setShutdown(progress: ShutdownProgress | null): void {
    this.progress = progress;
  }

  /** `name` runs on a terminal and wrote these bytes. */
  terminalOutput(name: string, data: string): void {
    this.terminals.add(name);
    const feed = this.feed(name);
    const chunk = Buffer.from(data);
    feed.recent.push(chunk);
    for (const listener of feed.listeners) listener(chunk);
  }

  /** Answers every held request. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
  }

  // ---- ProcessControl ----

  subscribe(listener: (event: ControlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  processes = () => this.states;
  usage = () => this.usageMap;
  shutdownProgress = () => this.progress;
  hasTerminal = (name: string) => this.terminals.has(name);

  window: ProcessControl['window'] = (scope, anchorSeq, height) =>
    this.answer('window', scope, () => visibleWindow(logView(this.logs, scope), anchorSeq, height));
  scroll: ProcessControl['scroll'] = (scope, anchorSeq, delta, height) =>
    this.answer('scroll', scope, () => scrolledAnchor(logView(this.logs, scope), anchorSeq, delta, height));
  findMatch: ProcessControl['findMatch'] = (scope, query, from, direction, height) =>
    this.answer('findMatch', scope, () => findMatch(logView(this.logs, scope), from, query, direction, height));
  matches: ProcessControl['matches'] = (scope, query) =>
    this.answer('matches', scope, () => {
      const seqs = allMatches(logView(this.logs, scope), query);
      return { count: seqs.length, seqs };
    });
  text: ProcessControl['text'] = (scope, fromSeq, toSeq) =>
    this.answer('text', scope, () => plainText(logView(this.logs, scope), fromSeq, toSeq));

  async command(command: ProcessCommand): Promise<void> {
    this.commands.push(command);
    if (command.type === 'clear-logs') {
      this.logs.clear(command.name);
      this.emit({ type: 'cleared', proc: command.name ?? null });
    }
  }

  rawOutput(name: string, listener: (chunk: Uint8Array) => void): () => void {
    const feed = this.feed(name);
    for (const chunk of feed.recent) listener(chunk);
    feed.listeners.add(listener);
    return () => feed.listeners.delete(listener);
  }

  async quit(): Promise<void> {
    this.quits += 1;
  }

  async stopAll(): Promise<void> {
    this.stopAlls += 1;
  }

  private answer<T>(kind: FakeControl['requests'][number]['kind'], scope: LogScope, compute: () => T): Promise<T> {
    this.requests.push({ kind, scope });
    if (!this.holdAnswers) return Promise.resolve(compute());
    return new Promise((resolve) => this.held.push(() => resolve(compute())));
  }

  private feed(name: string) {
    let feed = this.raw.get(name);
    if (!feed) {
      feed = { recent: [], listeners: new Set() };
      this.raw.set(name, feed);
    }
    return feed;
  }

  private emit(event: ControlEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A running process for the fake, started at the fake clock's start. */
export function fakeState(name: string, index: number, over: Partial<ProcessState> = {}): ProcessState {
  return state(name, index, { startedAt: 1_000_000, ...over });
}

/** Lets answered promises and the code awaiting them run (resolved answers take a few microtasks). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
