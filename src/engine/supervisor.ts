import { resolve } from 'node:path';
import type { Reloaded } from '../config/run-specs.js';
import type { ProcessSpec } from '../config/types.js';
import { childEnv, RUN_ID_VAR } from './child-env.js';
import { type Clock, systemClock } from './clock.js';
import { followersOf, RunStarts } from './dependency-restarts.js';
import { describeEscapees, type Escapee, findEscapees } from './escapees.js';
import { type LineBatch, textContent } from './line-batch.js';
import { LogStore } from './log-store.js';
import { formatDelay, ManagedProcess, type RunConfig } from './managed-process.js';
import { type LimitedProcess, MemoryLimits } from './memory-limits.js';
import { pipeRunner } from './pipe-runner.js';
import { LINES_LOOKED_AT, PortConflicts } from './port-conflicts.js';
import type { ProbeAttempt } from './probes/attempt.js';
import { type ProcessGroups, SystemProcessGroups, type Termination } from './process-groups.js';
import { isActive, isNotStarted, isUp, type ProcessState, type ProcessStatus } from './process-state.js';
import { describeReload, planReload, stableKey } from './reload-plan.js';
import { ResourceSampler, type ResourceUsage, SAMPLE_INTERVAL_MS } from './resource-sampler.js';
import { restartAllPlan } from './restart-all-plan.js';
import { defaultRestartPolicy, type RestartPolicy } from './restart-policy.js';
import type { Runner } from './runner.js';
import { StartQueue } from './start-queue.js';
import { stopLevels } from './stop-order.js';
import type { WatchFolder } from './watch/tree-watcher.js';
import { Watches } from './watch/watches.js';

export type SupervisorEvent =
  /** New log lines, oldest first; a batch comes from one process. */
  /** One process's new lines (one chunk's, or one line of devrun's own); `batch.lines()` as LogLines. */
  | { type: 'lines'; batch: LineBatch }
  | { type: 'state'; process: ProcessState }
  | { type: 'usage'; usage: ReadonlyMap<string, ResourceUsage> }
  /** Logs were cleared (clearLogs): one process's, or every one when `proc` is null. */
  | { type: 'cleared'; proc: string | null }
  /** The list of processes changed (a reload added or removed some): every process now, in order. */
  | { type: 'processes'; processes: ProcessState[] };

export interface SupervisorOptions {
  specs: ProcessSpec[];
  /** Shell env layered with .env; each child adds its PORT, PS and defaults. */
  env: Record<string, string>;
  cwd: string;
  runId: string;
  runner?: Runner;
  /** True when the runner gives children a terminal (the PTY runner): changes their env defaults. */
  terminal?: boolean;
  clock?: Clock;
  /** Group signals and stops; by default the real ones, on `clock`. */
  groups?: ProcessGroups;
  /** Stop what a run left outside its process group (default true; --keep-escaped turns it off). */
  stopEscapees?: boolean;
  policy?: RestartPolicy;
  stopTimeoutMs?: number;
  logs?: LogStore;
  /** 0 turns resource sampling off. */
  sampleIntervalMs?: number;
  /** Name who holds a process's port: at start, and when a run ends after "address already in use" (PortConflicts). */
  portHints?: boolean;
  /** One try of a port or http ready probe (default: the real ones). */
  probeAttempt?: ProbeAttempt;
  /** How often processes with a memory limit are measured while resource sampling is off (default SAMPLE_INTERVAL_MS). */
  memorySampleIntervalMs?: number;
  /** Reads the Procfile, .env and devrun.yaml again: r (restart) and reload use it; none: the specs are fixed. */
  reload?: () => Reloaded;
  /** How a folder is watched for `watch` (default fs.watch). */
  watchFolder?: WatchFolder;
}

/**
 * Owns every process. The one place intent (start/stop/restart/kill/input) enters the engine, and
 * the one source of events (log lines, state changes, resource usage) for the headless printer and UI.
 */
export class Supervisor {
  readonly logs: LogStore;
  private procs: ManagedProcess[];
  /** Removed by a reload, still stopping: in the list (and waited for at shutdown) until their run ends. */
  private readonly retiring = new Set<ManagedProcess>();
  private readonly byName = new Map<string, ManagedProcess>();
  private readonly listeners = new Set<(event: SupervisorEvent) => void>();
  private readonly sampler: ResourceSampler | undefined;
  /** Measures the processes with a memory limit; its timer runs only while one has a limit. */
  private readonly memoryLimits: MemoryLimits;
  /** Sees each new run: what follows a dependency's restarts (on_dependency_restart: restart) follows it. */
  private readonly runStarts = new RunStarts();
  /** What waits for its dependencies before it starts. */
  private readonly queue: StartQueue;
  private restartingAll = false;
  private usage: ReadonlyMap<string, ResourceUsage> = new Map();
  private terminal = { columns: 80, rows: 24 };
  /** The runner gives children a terminal: every run of every process has one. */
  readonly usesTerminals: boolean;
  private shuttingDown = false;
  /** How many processes were active when shutdown began: the "of 5" in "stopping 3 of 5". */
  private activeAtShutdown = 0;
  private readonly runId: string;
  private readonly groups: ProcessGroups;
  private readonly stopEscapees: boolean;
  private readonly stopTimeoutMs: number;
  /** The stop of what the run left outside its groups, once everything ended: a kill hurries it. */
  private runEscapeesStop: Termination | undefined;
  private readonly ports: PortConflicts | undefined;
  /** What every process shares: the run's folder, runner, clock and default policy. */
  private readonly run: {
    cwd: string;
    runner: Runner;
    clock: Clock;
    policy: RestartPolicy;
    probeAttempt: ProbeAttempt | undefined;
  };
  /** Reads the files again (r, reload); undefined: the specs are fixed. */
  private readonly reloadSource: (() => Reloaded) | undefined;
  /** The `watch` of each process that has one: a change restarts it. */
  private readonly watches: Watches;

  constructor(options: SupervisorOptions) {
    const clock = options.clock ?? systemClock;
    this.logs = options.logs ?? new LogStore();
    this.usesTerminals = options.terminal ?? false;
    this.runId = options.runId;
    // The real process table is polled on the real clock, whatever clock the rest runs on.
    this.groups = options.groups ?? new SystemProcessGroups();
    this.stopEscapees = options.stopEscapees ?? true;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.ports = options.portHints ? new PortConflicts(options.runId, (name, text) => this.emitSystem(name, text)) : undefined;
    this.run = {
      cwd: options.cwd,
      runner: options.runner ?? pipeRunner,
      clock,
      policy: options.policy ?? defaultRestartPolicy,
      probeAttempt: options.probeAttempt,
    };
    this.reloadSource = options.reload;
    this.procs = options.specs.map((spec) => this.createProcess(spec, options.env));
    this.queue = new StartQueue(
      () => this.procs,
      () => this.processes(),
    );
    this.memoryLimits = new MemoryLimits({ clock, intervalMs: options.memorySampleIntervalMs, processes: () => this.limited() });
    this.watches = new Watches({
      root: options.cwd,
      clock,
      processes: () => this.procs,
      restart: (name) => this.restartFor(name),
      say: (name, text) => this.emitSystem(name, text),
      watch: options.watchFolder,
    });
    const interval = options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS;
    if (interval > 0) {
      this.sampler = new ResourceSampler({
        clock,
        intervalMs: interval,
        leaders: () => this.leaders(),
        onSample: (usage, trees) => {
          this.usage = usage;
          this.emit({ type: 'usage', usage });
          // The round's trees serve the memory limits too: one walk of /proc per round.
          if (!this.shuttingDown && this.limited().length > 0) this.memoryLimits.sample(trees);
        },
      });
    }
  }

  /** What a process runs with: its command and settings, its env over `env` (shell and .env), its folder. */
  private runConfig(spec: ProcessSpec, env: Record<string, string>): RunConfig {
    const { policy, cwd } = this.run;
    return {
      spec,
      env: { ...childEnv(env, spec, this.runId, this.usesTerminals), ...spec.run?.env, [RUN_ID_VAR]: this.runId },
      cwd: spec.run?.cwd === undefined ? cwd : resolve(cwd, spec.run.cwd),
      policy: spec.run ? { ...policy, mode: spec.run.restart, maxRestarts: spec.run.maxRestarts } : policy,
      stopSignal: spec.run?.stopSignal ?? 'SIGTERM',
      stopTimeoutMs: spec.run?.stopTimeoutMs ?? this.stopTimeoutMs,
      ready: spec.run?.ready,
    };
  }

  private createProcess(spec: ProcessSpec, env: Record<string, string>): ManagedProcess {
    const name = spec.name;
    const proc: ManagedProcess = new ManagedProcess({
      ...this.runConfig(spec, env),
      runner: this.run.runner,
      groups: this.groups,
      clock: this.run.clock,
      probeAttempt: this.run.probeAttempt,
      // A stop in dependency order leaves the shallower processes running for a while: one that ends then stays ended.
      mayRestart: () => !this.shuttingDown,
      // During shutdown one scan for the whole run, once every group is gone, replaces one per process.
      findEscapees: this.stopEscapees ? (group) => (this.shuttingDown ? [] : findEscapees(this.runId, name, group)) : undefined,
      terminalSize: () => this.terminal,
      onChange: () => {
        const state = proc.state();
        this.emit({ type: 'state', process: state });
        if (this.ports && endedBadly(state.status)) this.ports.runFailed(name, proc.spec.port, this.lastLines(name));
        if (this.runStarts.isRestart(state)) this.restartFollowers(name, proc.spec.entry);
        // Any change may let a waiting process start (or block it), or a restart its files asked for go ahead.
        if (!this.shuttingDown) this.queue.evaluate();
        this.watches.settled(name);
      },
      onLines: (stream, lines) => {
        const ts = Date.now(); // one clock read per chunk, not per line
        this.emit({ type: 'lines', batch: this.logs.appendBatch(name, stream, lines, ts) });
      },
    });
    this.byName.set(name, proc);
    return proc;
  }

  subscribe(listener: (event: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  processes(): ProcessState[] {
    return this.procs.map((p) => p.state());
  }

  /** What a process runs with now (a reload may have added it or changed it); undefined once it has left. */
  specOf(name: string): ProcessSpec | undefined {
    return this.byName.get(name)?.config.spec;
  }

  resourceUsage(): ReadonlyMap<string, ResourceUsage> {
    return this.usage;
  }

  /** Pid of every process with a live run: the groups a pid file must record. */
  leaders(): Map<string, number> {
    const leaders = new Map<string, number>();
    for (const p of this.procs) {
      const { pid } = p.state();
      if (pid !== undefined) leaders.set(p.name, pid);
    }
    return leaders;
  }

  /** True once nothing runs, stops or waits to restart: every process has reached an end state. */
  allEnded(): boolean {
    return this.procs.every((p) => !isActive(p.state().status));
  }

  /**
   * Starts every process but those whose settings say autostart: false (shown stopped; s starts them),
   * each once its dependencies allow; until then it shows as waiting, with the reason.
   */
  startAll(): void {
    this.ports?.checkFree(this.procs.map((p) => p.spec));
    this.sampler?.start();
    this.measureMemory();
    this.launch(this.procs);
    // After the spawns: walking a large tree must not delay them.
    this.watches.start();
  }

  /** New processes (the run's, or a reload's): autostart: false ones show stopped, the rest are queued. */
  private launch(procs: readonly ManagedProcess[]): void {
    for (const p of procs) if (!p.autostart) p.stop();
    this.queue.add(procs.filter((p) => p.autostart));
    this.queue.evaluate();
  }

  /** By hand: starts it now, even when its dependencies are not there yet (s means "start it"). */
  start(name: string): void {
    if (this.shuttingDown) return;
    const proc = this.get(name);
    this.queue.remove(proc);
    this.watches.resume(name);
    proc.start();
  }

  stop(name: string): void {
    const proc = this.get(name);
    this.queue.remove(proc);
    proc.stop();
  }

  /**
   * r: reads the files again, then restarts each with what they say now. Returns the problem when they
   * cannot be used (said on each process too): then each restarts with the settings it had. A restart
   * by hand resumes a paused watch.
   */
  restart(...names: string[]): string | undefined {
    if (this.shuttingDown) return undefined;
    const procs = names.map((name) => this.get(name));
    const problem = this.refresh(procs);
    for (const proc of procs) {
      this.watches.resume(proc.name);
      this.restartFor(proc.name);
    }
    return problem;
  }

  /** A restart by hand, or because its watched files changed. */
  private restartFor(name: string): void {
    if (this.shuttingDown) return;
    const proc = this.get(name);
    this.queue.remove(proc);
    proc.restart();
  }

  /** Gives each process its settings as the files say now, for its next run; the problem when they cannot be read. */
  private refresh(procs: ManagedProcess[]): string | undefined {
    const fresh = this.reloadSource?.();
    if (!fresh) return undefined;
    if (!fresh.ok) {
      for (const proc of procs) this.emitSystem(proc.name, `${fresh.error}: restarting with the settings it had`);
      return fresh.error;
    }
    for (const proc of procs) {
      const spec = fresh.project.specs.find((s) => s.name === proc.name);
      if (spec) proc.reconfigure(this.runConfig(spec, fresh.project.env));
      else this.emitSystem(proc.name, `no longer in the Procfile: restarting with the settings it had (devrun reload removes it)`);
    }
    return undefined;
  }

  /**
   * R: stops what runs in reverse dependency order, then starts it again in dependency order; leaves
   * what the user stopped and one-shots that finished (restartAllPlan).
   */
  restartAll(): void {
    if (this.shuttingDown || this.restartingAll) return;
    this.restartingAll = true;
    const chosen = new Set(restartAllPlan(this.processes()).restart);
    const restarted = this.procs.filter((p) => chosen.has(p.name));
    for (const p of restarted) this.queue.remove(p);
    this.queue.pause(true);
    // A shutdown meanwhile takes over: nothing more is held (a waiting process would keep the run alive).
    void this.inReverseOrder((p) => {
      if (!this.shuttingDown && chosen.has(p.name)) p.hold();
    }).then(() => {
      this.restartingAll = false;
      this.queue.pause(false);
      if (this.shuttingDown) return;
      this.queue.add(restarted);
      this.queue.evaluate();
    });
  }

  /**
   * A run of `name` began after an earlier one: what depends on its entry with on_dependency_restart:
   * restart is stopped and queued, to start again once its dependencies allow (dependency-restarts.ts).
   */
  private restartFollowers(name: string, entry: string): void {
    if (this.shuttingDown || this.restartingAll) return;
    const candidates = this.procs.map((p) => ({
      name: p.name,
      dependsOn: p.spec.run?.dependsOn ?? {},
      onDependencyRestart: p.spec.run?.onDependencyRestart,
      status: p.state().status,
    }));
    for (const follower of followersOf(entry, candidates)) {
      const proc = this.get(follower);
      this.emitSystem(follower, `${name} restarted: restarting it too (on_dependency_restart: restart)`);
      proc.hold();
      this.queue.add([proc]);
    }
  }

  kill(name: string): void {
    const proc = this.get(name);
    this.queue.remove(proc);
    proc.kill();
  }

  /**
   * `devrun reload`: reads the files again and applies what changed: a new process starts (once its
   * dependencies allow), a removed one is stopped and then leaves the list, a changed one restarts with
   * its new settings (one stopped by hand or still waiting only takes them), the others are left alone.
   * Nothing is applied when the files cannot be used. The outcome is also said as a line of devrun's.
   */
  reload(): { ok: true; summary: string } | { ok: false; error: string } {
    const fresh = this.shuttingDown ? { ok: false as const, error: 'devrun is stopping' } : this.reloadSource?.();
    if (!fresh || !fresh.ok) {
      const error = fresh?.error ?? 'this run does not read its files again';
      this.note(`reload: ${error}; nothing applied`);
      return { ok: false, error };
    }
    const { specs, env } = fresh.project;
    const configs = new Map(specs.map((spec) => [spec.name, this.runConfig(spec, env)]));
    const live = this.procs.filter((p) => !this.retiring.has(p));
    const keyed = (name: string, config: RunConfig) => ({ name, key: stableKey(config) });
    const plan = planReload(
      live.map((p) => keyed(p.name, p.config)),
      specs.map((s) => keyed(s.name, configs.get(s.name)!)),
    );
    const added = plan.added.map((name) => this.createProcess(configs.get(name)!.spec, env));
    const removed = live.filter((p) => plan.removed.includes(p.name));
    for (const p of removed) this.retiring.add(p);
    // The files' order; those being removed stay at the end until their stop has ended.
    this.procs = [...specs.map((s) => this.byName.get(s.name)!), ...this.procs.filter((p) => this.retiring.has(p))];
    this.emit({ type: 'processes', processes: this.processes() });
    const restarted = plan.changed.filter((name) => this.applyChange(this.get(name), configs.get(name)!));
    for (const p of removed) this.retire(p);
    this.launch(added);
    this.measureMemory();
    this.watches.rebuild();
    const summary = describeReload({
      added: plan.added,
      removed: plan.removed,
      restarted,
      updated: plan.changed.filter((name) => !restarted.includes(name)),
      unchanged: plan.unchanged.length,
    });
    this.note(summary);
    return { ok: true, summary };
  }

  /** New settings for a process; true when it restarts to take them (it has a run, or its last one ended by itself). */
  private applyChange(proc: ManagedProcess, config: RunConfig): boolean {
    proc.reconfigure(config);
    const { status } = proc.state();
    if (isNotStarted(status)) return false;
    this.queue.remove(proc);
    proc.restart();
    return true;
  }

  /** Stops a process the files no longer have; once its run has ended it leaves the list. */
  private retire(proc: ManagedProcess): void {
    this.queue.remove(proc);
    proc.stop();
    void this.until(() => !isActive(proc.state().status)).then(() => {
      this.retiring.delete(proc);
      this.procs = this.procs.filter((p) => p !== proc);
      if (this.byName.get(proc.name) === proc) this.byName.delete(proc.name);
      this.emit({ type: 'processes', processes: this.processes() });
    });
  }

  /** A line from devrun itself (signals, shutdown progress), shown under the name `devrun`. */
  note(text: string): void {
    this.emitSystem('devrun', text);
  }

  /** The texts of the process's last log lines, for PortConflicts. */
  private lastLines(name: string): string[] {
    const ring = this.logs.lines(name);
    return ring.slice(Math.max(0, ring.size - LINES_LOOKED_AT)).map((line) => line.text);
  }

  private emitSystem(name: string, text: string): void {
    this.emit({ type: 'lines', batch: this.logs.appendBatch(name, 'system', textContent([text])) });
  }

  write(name: string, data: string | Uint8Array): void {
    this.get(name).write(data);
  }

  /** Sends a typed line (plus Enter) to the process; on pipes it is echoed in the log. */
  sendLine(name: string, text: string): void {
    if (this.get(name).sendLine(text)) this.emit({ type: 'lines', batch: this.logs.appendBatch(name, 'input', textContent([text])) });
  }

  /**
   * Clears one process's logs (and its lines in the merged ring), or every log when `name` is
   * undefined, and tells every subscriber: each dashboard (local or attached) empties its pane.
   */
  clearLogs(name?: string): void {
    this.logs.clear(name);
    this.emit({ type: 'cleared', proc: name ?? null });
  }

  /** Ctrl-C for this process only, as in its own terminal. */
  interrupt(name: string): void {
    this.get(name).interrupt();
  }

  /** The process's recent raw terminal output and a feed of the rest; empty for pipe children. */
  rawOutput(name: string): Buffer {
    return this.get(name).rawOutput();
  }

  onRaw(name: string, listener: (chunk: Uint8Array) => void): () => void {
    return this.get(name).onRaw(listener);
  }

  hasTerminal(name: string): boolean {
    return this.get(name).hasTerminal;
  }

  /** null while running; during shutdown, how many processes are still active out of how many. */
  shutdownProgress(): { remaining: number; total: number } | null {
    if (!this.shuttingDown) return null;
    const remaining = this.procs.filter((p) => isActive(p.state().status)).length;
    return { remaining, total: Math.max(this.activeAtShutdown, remaining) };
  }

  /** Every terminal follows the pane size; `except` keeps the size a zoomed process was given. */
  resize(columns: number, rows: number, except?: string): void {
    this.terminal = { columns, rows };
    for (const p of this.procs) if (p.name !== except) p.resize(columns, rows);
  }

  resizeOne(name: string, columns: number, rows: number): void {
    this.get(name).resize(columns, rows);
  }

  /** One process's terminal size (what its next run starts at when it has none now). */
  terminalSize(name: string): { columns: number; rows: number } {
    return this.get(name).terminalSize;
  }

  /**
   * Stops everything in reverse dependency order (deepest first, one depth at a time, each depth in
   * parallel); resolves once every process group is gone. Later starts are refused.
   */
  stopAll(): Promise<void> {
    this.beginShutdown();
    this.sampler?.stop();
    this.memoryLimits.stop();
    this.queue.clear();
    void this.inReverseOrder((p) => p.stop());
    return this.whenAllEnded();
  }

  /**
   * `end` for every process: at once for those with no run (nothing depends on their stop, and a pending
   * restart must not spawn meanwhile), then for running ones deepest first, the next depth once the
   * previous one's runs have ended. Resolves when the last depth's runs have ended.
   */
  private async inReverseOrder(end: (p: ManagedProcess) => void): Promise<void> {
    const running = (p: ManagedProcess) => isUp(p.state().status) || p.state().status === 'stopping';
    for (const p of this.procs) if (!running(p)) end(p);
    for (const level of stopLevels(this.procs, (p) => p.depth)) {
      for (const p of level) end(p);
      await this.until(() => !level.some(running));
    }
  }

  /** SIGKILL every group now (a second Ctrl-C). */
  killAll(): Promise<void> {
    this.beginShutdown();
    this.sampler?.stop();
    this.memoryLimits.stop();
    for (const p of this.procs) p.kill();
    this.runEscapeesStop?.killNow();
    return this.whenAllEnded();
  }

  /**
   * Once every process has ended (devrun is about to exit): one scan for anything of this run still alive
   * outside its group, such as a daemon a one-off started, stopped like a group; one line names them.
   */
  async stopRunEscapees(killNow = false): Promise<void> {
    if (!this.stopEscapees) return;
    const escapees = findEscapees(this.runId);
    if (escapees.length === 0) return;
    const pids = escapees.map((e) => e.pid);
    this.runEscapeesStop = this.groups.terminate(
      { pids },
      {
        timeoutMs: this.stopTimeoutMs,
        first: killNow ? 'SIGKILL' : 'SIGTERM',
        onEscalate: () => this.note(`what left its group did not stop within ${formatDelay(this.stopTimeoutMs)}: sent SIGKILL`),
      },
    );
    await this.runEscapeesStop.done;
    // Each named under the process it came from, as when that process's own run ends.
    const byProcess = new Map<string, Escapee[]>();
    for (const e of escapees) {
      const name = e.process && this.byName.has(e.process) ? e.process : 'devrun';
      byProcess.set(name, [...(byProcess.get(name) ?? []), e]);
    }
    for (const [name, list] of byProcess) this.emitSystem(name, describeEscapees(list));
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private beginShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.watches.close();
    this.activeAtShutdown = this.procs.filter((p) => isActive(p.state().status)).length;
  }

  private whenAllEnded(): Promise<void> {
    return this.until(() => this.allEnded());
  }

  /** Resolves once `done` holds, checked now and after each state change. */
  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.subscribe((event) => {
        if (event.type === 'state' && done()) {
          off();
          resolve();
        }
      });
    });
  }

  private get(name: string): ManagedProcess {
    const proc = this.byName.get(name);
    if (!proc) throw new Error(`no process named ${name}`);
    return proc;
  }

  /**
   * Starts measuring memory on its own timer when a process has a limit (at start, and after a reload
   * added one) and the resource sampler is off: when on, its rounds feed the limits.
   */
  private measureMemory(): void {
    if (!this.sampler && !this.shuttingDown && this.limited().length > 0) this.memoryLimits.start();
  }

  /** The processes with a memory limit, as their settings say now. */
  private limited(): LimitedProcess[] {
    return this.procs.flatMap((p) => {
      const limit = p.spec.run?.maxMemory;
      if (limit === undefined) return [];
      const pid = () => {
        const { status, pid } = p.state();
        return isUp(status) ? pid : undefined;
      };
      return [{ name: p.name, limit, pid, restartForMemory: (line: string) => p.restartForMemory(line) }];
    });
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A run ended by itself with a failure: restarting, given up, or crashed for good. */
function endedBadly(status: ProcessStatus): boolean {
  return status === 'backoff' || status === 'crashed' || status === 'failed';
}
