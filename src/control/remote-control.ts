import type { ControlClient } from './client.js';
import type {
  ControlEvent,
  LogScope,
  LogWindow,
  ProcessCommand,
  ProcessControl,
  ProcessState,
  ResourceUsage,
  ShutdownProgress,
} from './process-control.js';
import type { JsonObject, SnapshotReport, UsageReport } from './protocol.js';
import { heldOf, spliceWindow } from './window-delta.js';

/**
 * ProcessControl over the control socket (`devrun attach`): the dashboard of another devrun, unchanged.
 *
 * - The cache (processes, usage, shutdown progress, which processes have terminals) comes from a
 *   `snapshot` and is kept from the `process` and `usage` topics; `lines` (no text, only who printed
 *   up to which seq) and `cleared` become the same events LocalControl emits, and the store pulls the
 *   windows it shows. Whatever message arrives last is the freshest (devrun's queues keep the latest
 *   state per process), so snapshot and events are applied in the order they come.
 * - Requests are round trips; they reject once the connection has ended (the store and the command
 *   queue already treat a failed request as "no answer").
 * - Windows: the last one answered is kept, and the next window of the same scope is asked for as a
 *   delta from it (window-delta.ts): following a trickle, only the new lines travel.
 * - rawOutput is a `raw` subscription: its first event carries the recent bytes, as locally.
 * - quit() is not a stop: it calls `onQuit`, which detaches (the attach command closes the connection).
 *   stopAll() is: a `shutdown` request, not waited for (it answers once every process is gone, and the
 *   dashboard keeps answering keys meanwhile: q still detaches); the devrun ending ends the connection.
 */
export class RemoteControl implements ProcessControl {
  private readonly listeners = new Set<(event: ControlEvent) => void>();
  private states: ProcessState[] = [];
  private usageCache: ReadonlyMap<string, ResourceUsage> = new Map();
  private progress: ShutdownProgress | null = null;
  private readonly terminals = new Set<string>();
  private disposed = false;

  /** Subscribes to the dashboard topics, then takes the snapshot: resolves once the cache is filled. */
  static async open(client: ControlClient, onQuit: () => void): Promise<RemoteControl> {
    const control = new RemoteControl(client, onQuit);
    await Promise.all([
      client.subscribe({ topic: 'process' }, (event) => control.onProcess(event)),
      client.subscribe({ topic: 'lines' }, (event) => control.onLines(event)),
      client.subscribe({ topic: 'usage' }, (event) => control.onUsage(event)),
      client.subscribe({ topic: 'cleared' }, (event) => control.onCleared(event)),
    ]);
    control.applySnapshot(await client.request('snapshot'));
    return control;
  }

  private constructor(
    private readonly client: ControlClient,
    private readonly onQuit: () => void,
  ) {}

  subscribe(listener: (event: ControlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  processes = (): readonly ProcessState[] => this.states;
  usage = (): ReadonlyMap<string, ResourceUsage> => this.usageCache;
  shutdownProgress = (): ShutdownProgress | null => this.progress;
  hasTerminal = (name: string): boolean => this.terminals.has(name);

  /** The last window answered and its scope: the next window of that scope may come as a delta from it. */
  private held: { scope: string; window: LogWindow } | undefined;

  window: ProcessControl['window'] = async (scope, anchorSeq, height) => {
    const key = JSON.stringify(wireScope(scope));
    const base = this.held?.scope === key ? this.held.window : undefined;
    const have = base && heldOf(base);
    const args = { scope: wireScope(scope), anchorSeq, height };
    const window = spliceWindow(base, await this.client.request('window', have ? { ...args, have } : args));
    this.held = { scope: key, window };
    return window;
  };

  scroll: ProcessControl['scroll'] = async (scope, anchorSeq, delta, height) =>
    (await this.client.request('scroll', { scope: wireScope(scope), anchorSeq, delta, height })).anchorSeq;

  findMatch: ProcessControl['findMatch'] = async (scope, query, from, direction, height) => {
    const position = { anchorSeq: from.anchorSeq, matchSeq: from.matchSeq };
    const found = await this.client.request('findMatch', { scope: wireScope(scope), query, from: position, direction, height });
    return found ?? undefined;
  };

  matches: ProcessControl['matches'] = (scope, query) => this.client.request('matches', { scope: wireScope(scope), query });

  text: ProcessControl['text'] = async (scope, fromSeq, toSeq) =>
    (await this.client.request('text', { scope: wireScope(scope), fromSeq, toSeq })).text;

  async command(command: ProcessCommand): Promise<void> {
    await this.client.request('command', { command });
  }

  rawOutput(name: string, listener: (chunk: Uint8Array) => void): () => void {
    let detached = false;
    let subscription: number | undefined;
    const unsubscribe = (id: number) => this.client.request('unsubscribe', { subscription: id }).catch(() => {});
    this.client
      .subscribe({ topic: 'raw', name }, (event) => {
        if (!detached && !this.disposed && typeof event.data === 'string') listener(Buffer.from(event.data, 'base64'));
      })
      .then(
        (result) => {
          subscription = result.subscription;
          if (detached) void unsubscribe(subscription);
        },
        // No terminal (anymore), or the connection ended: nothing to show.
        () => {},
      );
    return () => {
      if (detached) return;
      detached = true;
      if (subscription !== undefined) void unsubscribe(subscription);
    };
  }

  async quit(): Promise<void> {
    this.onQuit();
  }

  async stopAll(): Promise<void> {
    // The connection ending (as the devrun exits) is what the attach command reports; a failure here
    // would only say the same.
    this.client.request('shutdown').catch(() => {});
  }

  /** Stops emitting events (the connection is the attach command's to close). */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private applySnapshot(snapshot: SnapshotReport): void {
    this.usageCache = usageMap(snapshot.usage);
    this.setList(snapshot.processes, snapshot.terminals, snapshot.shutdown);
  }

  /** Who is there, in order, which of them run on a terminal, and the shutdown's progress. */
  private setList(processes: ProcessState[], terminals: readonly string[], shutdown: ShutdownProgress | null): void {
    this.states = processes;
    this.terminals.clear();
    for (const name of terminals) this.terminals.add(name);
    this.progress = shutdown;
  }

  private onProcess(event: JsonObject): void {
    if (Array.isArray(event.processes)) return this.onList(event);
    const process = event.process as ProcessState | undefined;
    if (process === undefined || typeof process.name !== 'string') return;
    const at = this.states.findIndex((p) => p.name === process.name);
    this.states = at === -1 ? [...this.states, process] : this.states.map((p, i) => (i === at ? process : p));
    if (event.terminal === true) this.terminals.add(process.name);
    else this.terminals.delete(process.name);
    this.progress = (event.shutdown as ShutdownProgress | null | undefined) ?? null;
    this.emit({ type: 'state', process });
  }

  /** The list changed (a reload): it says who is there now, and in what order. */
  private onList(event: JsonObject): void {
    const processes = (event.processes as unknown[]).filter((p): p is ProcessState => typeof (p as ProcessState)?.name === 'string');
    const terminals = Array.isArray(event.terminals) ? event.terminals.filter((name): name is string => typeof name === 'string') : [];
    this.setList(processes, terminals, (event.shutdown as ShutdownProgress | null | undefined) ?? null);
    this.emit({ type: 'processes', processes });
  }

  private onLines(event: JsonObject): void {
    if (typeof event.proc !== 'string' || typeof event.lastSeq !== 'number') return;
    this.emit({ type: 'lines', proc: event.proc, lastSeq: event.lastSeq });
  }

  private onUsage(event: JsonObject): void {
    if (typeof event.usage !== 'object' || event.usage === null) return;
    this.usageCache = usageMap(event.usage as UsageReport);
    this.emit({ type: 'usage', usage: this.usageCache });
  }

  private onCleared(event: JsonObject): void {
    const proc = typeof event.proc === 'string' ? event.proc : null;
    this.emit({ type: 'cleared', proc });
  }

  private emit(event: ControlEvent): void {
    if (this.disposed) return;
    for (const listener of this.listeners) listener(event);
  }
}

function usageMap(report: UsageReport): ReadonlyMap<string, ResourceUsage> {
  return new Map(Object.entries(report).map(([name, { cpu, rss }]) => [name, { cpu, rss }]));
}

/** The scope as the protocol carries it (a plain copy: `only` may be a frozen or shared array). */
function wireScope(scope: LogScope): LogScope {
  return scope.kind === 'process'
    ? { kind: 'process', name: scope.name }
    : { kind: 'merged', only: scope.only === null ? null : [...scope.only] };
}
