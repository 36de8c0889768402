import { describeCheck } from '../config/settings/describe-settings.js';
import type { ReadyProbe } from '../config/settings/types.js';
import type { ProcessSpec } from '../config/types.js';
import type { Clock, TimerHandle } from './clock.js';
import { describeEscapees, type Escapee } from './escapees.js';
import { type LineContent, linesContaining, lineText, textContent } from './line-batch.js';
import { findPrintedUrl } from './printed-url.js';
import type { ProbeAttempt } from './probes/attempt.js';
import type { ProcessGroups, StopTarget, Termination } from './process-groups.js';
import { ProcessOutput } from './process-output.js';
import { describeExit, isUp, type ProcessState, type ProcessStatus } from './process-state.js';
import { ReadinessWatcher } from './readiness.js';
import { decideRestart, type RestartPolicy } from './restart-policy.js';
import type { ExitInfo, OutputStream, Runner, RunningChild } from './runner.js';
import { commandWord } from './shell-script.js';

export interface ManagedProcessOptions {
  spec: ProcessSpec;
  env: Record<string, string>;
  cwd: string;
  runner: Runner;
  /** Group signals and stops, on the same clock. */
  groups: ProcessGroups;
  clock: Clock;
  policy: RestartPolicy;
  /** What a graceful stop sends the group (SIGKILL follows after stopTimeoutMs). */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs: number;
  /** The probe that says a run is ready: the run is starting until it passes, then ready. None: running once spawned. */
  ready?: ReadyProbe;
  /** One try of a port or http probe (default: the real ones). */
  probeAttempt?: ProbeAttempt;
  /** false: a run that ends is not restarted by policy (devrun is shutting down). Default: always may. */
  mayRestart?: () => boolean;
  terminalSize: () => { columns: number; rows: number };
  onChange: () => void;
  /**
   * Finds what this process's runs left outside their group (`group`: the run's own, whose members are
   * not escapees); undefined to leave them (--keep-escaped).
   */
  findEscapees?: (group: number | undefined) => Escapee[];
  /** Lines of output, in batches: every complete line of one chunk at once. */
  onLines: (stream: OutputStream | 'system', lines: LineContent) => void;
}

/** What a live edit may change between runs (the rest of the options are the run's, not the file's). */
export type RunConfig = Pick<ManagedProcessOptions, 'spec' | 'env' | 'cwd' | 'policy' | 'stopSignal' | 'stopTimeoutMs' | 'ready'>;

/** One process's state machine: start, stop, restart and kill are defined in every state. */
export class ManagedProcess {
  private status: ProcessStatus = 'pending';
  private child: RunningChild | undefined;
  /** The terminal size a dashboard last gave this process (undefined: the supervisor's default). */
  private size: { columns: number; rows: number } | undefined;
  /** Restarts by the restart policy, after a run ended by itself (↻ in the list, the exit summary's "restarted N times"). */
  private restarts = 0;
  /** Consecutive short-lived runs, for backoff and giving up. */
  private streak = 0;
  private startedAt: number | undefined;
  private restartAt: number | undefined;
  private restartTimer: TimerHandle | undefined;
  private lastExit: ProcessState['lastExit'];
  private reason: string | undefined;
  /** The first http(s) URL the current run printed (the dashboard's title shows it). */
  private url: string | undefined;
  private termination: Termination | undefined;
  /** Set by stop/kill: this run ends by the user's hand and is not restarted by policy. */
  private stopRequested = false;
  /** Set by kill: this run and what escaped it get SIGKILL without grace. */
  private killing = false;
  /** What to do once the current run has ended: restart after a user's stop. */
  private startAfterStop = false;
  /** Once the current run has ended: wait to be started again (R restarts in dependency order). */
  private waitAfterStop = false;
  /** The run is being stopped because it failed (not ready in time): it ends failed, with this reason. */
  private failAfterStop: string | undefined;
  /** The run is being stopped for its memory: once it ends, its restart policy decides as after a crash. */
  private overMemory = false;
  private readiness: ReadinessWatcher | undefined;
  private snapshot: ProcessState | undefined;
  private readonly output: ProcessOutput;
  /** Settings re-read from the files, waiting for the current run to end (reconfigure). */
  private next: RunConfig | undefined;

  constructor(private options: ManagedProcessOptions) {
    this.output = new ProcessOutput(options.clock, (stream, lines) => {
      options.onLines(stream, lines);
      if (this.readiness?.wantsLines) this.readiness.lines(lines.texts.map((_, i) => lineText(lines, i)));
      if (this.url === undefined) this.noteUrl(linesContaining(lines, 'http'));
    });
  }

  get name(): string {
    return this.options.spec.name;
  }

  get autostart(): boolean {
    return this.options.spec.run?.autostart ?? true;
  }

  get spec(): ProcessSpec {
    return this.options.spec;
  }

  /** Its dependency depth: stops go deepest first. */
  get depth(): number {
    return this.options.spec.run?.depth ?? 0;
  }

  state(): ProcessState {
    if (!this.snapshot) {
      const { spec } = this.options;
      this.snapshot = {
        name: spec.name,
        entry: spec.entry,
        index: spec.index,
        command: spec.command,
        port: spec.port,
        status: this.status,
        pid: this.child?.pid,
        restarts: this.restarts,
        startedAt: this.startedAt,
        restartAt: this.restartAt,
        lastExit: this.lastExit,
        reason: this.reason,
        url: this.url,
      };
    }
    return this.snapshot;
  }

  /** Starts a run now: by hand, this skips a wait for dependencies (the supervisor starts the others when they may). */
  start(): void {
    switch (this.status) {
      case 'starting':
      case 'running':
      case 'ready':
        return;
      case 'stopping':
        this.startAfterStop = true;
        this.waitAfterStop = false;
        this.failAfterStop = undefined;
        return;
      default:
        // A start by hand (not by policy) begins a fresh streak.
        this.streak = 0;
        this.spawn();
    }
  }

  stop(): void {
    this.startAfterStop = false;
    this.waitAfterStop = false;
    this.overMemory = false;
    switch (this.status) {
      case 'starting':
      case 'running':
      case 'ready':
        this.endReadiness();
        this.stopRequested = true;
        // No child: the spawn failed, or the run already ended and what it left is being stopped.
        // Either way finishRun is under way and reads the request when that is done.
        if (!this.child) return;
        this.termination = this.terminate({ group: this.child.pid }, false);
        this.setStatus('stopping');
        return;
      case 'backoff':
      case 'pending':
      case 'waiting':
      case 'blocked':
        this.cancelRestart();
        this.reason = undefined;
        this.setStatus('stopped');
        return;
      default:
        return;
    }
  }

  restart(): void {
    if (this.status === 'running' || this.status === 'starting' || this.status === 'ready' || this.status === 'stopping') {
      this.stop();
      this.startAfterStop = true;
      return;
    }
    this.start();
  }

  /**
   * Ends the current run, if any, and then waits to be started again: the supervisor starts it when its
   * dependencies allow (R restarts in dependency order). It is not counted in `restarts` (the user asked).
   */
  hold(): void {
    switch (this.status) {
      case 'starting':
      case 'running':
      case 'ready':
      case 'stopping':
        this.stop();
        this.waitAfterStop = true;
        return;
      default:
        this.cancelRestart();
        this.reason = undefined;
        this.setStatus('waiting');
    }
  }

  /**
   * Over its memory limit (memory-limits.ts): a graceful stop, then a restart counted as a failure (backoff,
   * max restarts), even under `restart: never`: the limit asked for it. A stop, restart or kill meanwhile wins.
   */
  restartForMemory(line: string): void {
    if (!this.child || !isUp(this.status)) return;
    this.system(line);
    this.stop();
    this.overMemory = true;
  }

  /** Not started yet: its dependencies are not there (the supervisor's gate says why). A line says so once per reason. */
  wait(reason: string): void {
    this.park('waiting', reason, reason);
  }

  /** Not started: a dependency ended without meeting its condition. */
  block(reason: string): void {
    this.park('blocked', reason, `not started: ${reason}`);
  }

  private park(status: 'waiting' | 'blocked', reason: string, line: string): void {
    const parked = this.status === 'pending' || this.status === 'waiting' || this.status === 'blocked';
    if (!parked || (this.status === status && this.reason === reason)) return;
    this.reason = reason;
    this.system(line);
    this.setStatus(status);
  }

  /** SIGKILL to the whole group now, whatever it is doing. */
  kill(): void {
    this.startAfterStop = false;
    this.waitAfterStop = false;
    this.overMemory = false;
    this.killing = true;
    // Whatever is being stopped now (the group, or what escaped it) is killed at once.
    if (this.termination) {
      this.termination.killNow();
      if (this.status === 'stopping') return;
    }
    if ((this.status === 'running' || this.status === 'starting' || this.status === 'ready') && this.child) {
      this.endReadiness();
      this.stopRequested = true;
      this.termination = this.terminate({ group: this.child.pid }, true);
      this.setStatus('stopping');
      return;
    }
    this.stop();
  }

  /** Ctrl-C: on a terminal the ^C byte (the line discipline signals the foreground job), else SIGINT to the group. */
  interrupt(): void {
    if (!this.child) return;
    if (this.child.terminal) this.child.write('\x03');
    else this.options.groups.signal(this.child.pid, 'SIGINT');
  }

  /** Sends a typed line; true when devrun should echo it (a terminal echoes by itself). */
  sendLine(text: string): boolean {
    if (!this.child) return false;
    this.child.write(text + (this.child.terminal ? '\r' : '\n'));
    return !this.child.terminal;
  }

  /** The recent raw terminal output, and a feed of what follows (for a focused or zoomed pane). */
  rawOutput(): Buffer {
    return this.output.rawOutput();
  }

  onRaw(listener: (chunk: Uint8Array) => void): () => void {
    return this.output.onRaw(listener);
  }

  get hasTerminal(): boolean {
    return this.child?.terminal ?? false;
  }

  write(data: string | Uint8Array): void {
    this.child?.write(data);
  }

  /** The size its terminal has (or a run would start at): the one it was last given, else the default. */
  get terminalSize(): { columns: number; rows: number } {
    return this.size ?? this.options.terminalSize();
  }

  /** The size is the process's, not one run's: a restart starts at the size it was last given. */
  resize(columns: number, rows: number): void {
    this.size = { columns, rows };
    this.child?.resize(columns, rows);
  }

  /**
   * New settings (a live edit): taken now when there is no run, else when the next run starts, so the
   * current run is stopped as it was started (its stop signal and timeout).
   */
  reconfigure(config: RunConfig): void {
    this.next = config;
    if (!isUp(this.status) && this.status !== 'stopping') this.applyNext();
  }

  /** What it runs with: the settings its next run takes (a live edit waiting for the run to end), else the current ones. */
  get config(): RunConfig {
    if (this.next) return this.next;
    const { spec, env, cwd, policy, stopSignal, stopTimeoutMs, ready } = this.options;
    return { spec, env, cwd, policy, stopSignal, stopTimeoutMs, ready };
  }

  private applyNext(): void {
    if (!this.next) return;
    this.options = { ...this.options, ...this.next };
    this.next = undefined;
    this.snapshot = undefined;
  }

  /** Starts a new run now (cancelling a pending restart); a failed spawn is handled as a crash. */
  private spawn(): void {
    this.cancelRestart();
    this.applyNext();
    const { spec, runner, cwd, env, clock } = this.options;
    this.stopRequested = false;
    this.killing = false;
    this.reason = undefined;
    this.url = undefined;
    this.startedAt = clock.now();
    this.setStatus('starting');
    let child: RunningChild;
    try {
      child = runner.start({ command: spec.command, cwd, env, ...this.terminalSize });
    } catch (error) {
      this.system(`failed to start: ${(error as Error).message}`);
      this.child = undefined;
      // Like a command that is not found: retrying the same spawn would fail the same way.
      this.reason = 'failed to start';
      // Reported after this call returns, like a real exit: startAll() finishes starting the others first.
      queueMicrotask(() => void this.finishRun({ code: 127, signal: null }));
      return;
    }
    this.child = child;
    child.onData(this.output.beginRun(child.terminal));
    child.onExit((exit) => {
      this.output.endRun();
      void this.finishRun(exit);
    });
    this.system(`started with pid ${child.pid}`);
    const { ready } = this.options;
    if (ready) this.watchReadiness(ready);
    // With a probe it stays starting (now with its pid) until the probe passes.
    this.setStatus(ready ? 'starting' : 'running');
  }

  private watchReadiness(probe: ReadyProbe): void {
    const { clock } = this.options;
    const since = clock.now();
    this.readiness = new ReadinessWatcher({
      probe,
      clock,
      attempt: this.options.probeAttempt,
      onReady: () => {
        this.readiness = undefined;
        this.system(`ready: ${describeCheck(probe.check)} after ${formatDelay(clock.now() - since)}`);
        this.setStatus('ready');
      },
      onTimeout: () => {
        this.readiness = undefined;
        const reason = `not ready after ${formatSeconds(probe.timeoutMs)}`;
        this.system(`${reason} (${describeCheck(probe.check)}): stopping it`);
        this.stop();
        this.failAfterStop = reason;
      },
    });
  }

  /** `texts`: the lines of a batch that may hold a URL. */
  private noteUrl(texts: string[]): void {
    if (texts.length === 0) return;
    this.url = findPrintedUrl(texts);
    if (this.url === undefined) return;
    this.snapshot = undefined;
    this.options.onChange();
  }

  private endReadiness(): void {
    this.readiness?.cancel();
    this.readiness = undefined;
  }

  private system(text: string): void {
    this.options.onLines('system', textContent([text]));
  }

  /** The leader exited: wait for the rest of its group, then decide what comes next. */
  private async finishRun(exit: ExitInfo): Promise<void> {
    this.endReadiness();
    const pgid = this.child?.pid;
    if (this.termination) {
      await this.termination.done;
    } else if (pgid !== undefined && this.options.groups.isAlive(pgid)) {
      // The shell is gone but something it started is not: no orphans, and no port still held
      // by the old run when the new one starts.
      this.system(`leader exited; stopping the rest of its process group`);
      this.termination = this.terminate({ group: pgid }, this.killing);
      await this.termination.done;
    }
    this.termination = undefined;
    this.child = undefined;
    const { clock, policy } = this.options;
    const success = exit.code === 0 && exit.signal === null;
    // A one-off that succeeded may have started a daemon on purpose: what it left runs until devrun ends.
    if (this.stopRequested || !success || policy.mode === 'always') await this.stopEscapees(pgid);
    // Read after the waits: a stop, kill or restart may have come in meanwhile.
    const failed = this.failAfterStop;
    this.failAfterStop = undefined;
    const overMemory = this.overMemory;
    this.overMemory = false;
    const byUser = this.stopRequested && failed === undefined && !overMemory;
    const now = clock.now();
    this.lastExit = { ...exit, at: now, byUser };
    const uptimeMs = now - (this.startedAt ?? now);
    this.startedAt = undefined;

    if (failed !== undefined) {
      this.reason = failed;
      this.system(`${failed} (${describeExit(exit)}); not restarting it`);
      this.setStatus('failed');
      return;
    }
    if (byUser) {
      this.system(`stopped (${describeExit(exit)})`);
      // A restart the user asked for (r, R, a verb) is not counted: `restarts` are devrun's own, after a run ended.
      if (this.waitAfterStop) {
        this.waitAfterStop = false;
        this.streak = 0;
        this.setStatus('waiting');
        return;
      }
      if (this.startAfterStop) {
        this.startAfterStop = false;
        this.streak = 0;
        // Straight to the next run: a `stopped` between would tell a run whose every process had ended (one
        // process, restarted) that it is over.
        this.spawn();
        return;
      }
      this.setStatus('stopped');
      return;
    }

    this.endedByItself(exit, uptimeMs, overMemory);
  }

  /**
   * A run that ended by itself (or was stopped for its memory, which counts as a crash even under
   * `restart: never`): failed when it cannot run, else restarted or left as the policy decides.
   */
  private endedByItself(exit: ExitInfo, uptimeMs: number, overMemory: boolean): void {
    const { clock } = this.options;
    const policy = overMemory ? { ...this.options.policy, mode: 'on-failure' as const } : this.options.policy;
    const success = exit.code === 0 && exit.signal === null && !overMemory;
    const unrunnable = overMemory
      ? undefined
      : (this.reason ?? (!success && uptimeMs < policy.minUptimeMs ? unrunnableReason(exit, this.options.spec.command) : undefined));
    if (unrunnable) {
      // Retrying cannot help until the user fixes the command (r, or a restart verb, tries again).
      this.reason = unrunnable;
      this.system(`${unrunnable} (${describeExit(exit)}); not restarting it`);
      this.setStatus('failed');
      return;
    }
    const decision =
      this.options.mayRestart?.() === false
        ? ({ restart: false, reason: 'not-wanted', streak: this.streak } as const)
        : decideRestart(policy, { success, uptimeMs, streak: this.streak });
    this.streak = decision.streak;
    const how = overMemory
      ? `stopped for its memory (${describeExit(exit)})`
      : success
        ? 'exited with code 0'
        : `crashed (${describeExit(exit)})`;
    if (decision.restart) {
      this.system(`${how}, restarting in ${formatDelay(decision.delayMs)}`);
      const now = clock.now();
      this.restartAt = now + decision.delayMs;
      this.restartTimer = clock.setTimeout(() => {
        this.restartTimer = undefined;
        this.restarts += 1;
        this.spawn();
      }, decision.delayMs);
      this.setStatus('backoff');
    } else if (decision.reason === 'gave-up') {
      this.system(`${how}; gave up after ${decision.streak} restart${decision.streak === 1 ? '' : 's'} in a row`);
      this.setStatus('failed');
    } else {
      this.system(how);
      this.setStatus(success ? 'exited' : 'crashed');
    }
  }

  /** The stop signal (SIGTERM unless its settings say), or SIGKILL at once; SIGKILL after the timeout with a line saying so. */
  private terminate(target: StopTarget, now: boolean): Termination {
    const { groups, stopTimeoutMs, stopSignal = 'SIGTERM' } = this.options;
    return groups.terminate(target, {
      timeoutMs: stopTimeoutMs,
      first: now ? 'SIGKILL' : stopSignal,
      onEscalate: () => this.system(`did not stop within ${formatDelay(stopTimeoutMs)} of ${stopSignal}: sent SIGKILL`),
    });
  }

  /** One scan for processes this run left outside its group; they get the same stop as the group. */
  private async stopEscapees(pgid: number | undefined): Promise<void> {
    const escapees = this.options.findEscapees?.(pgid) ?? [];
    if (escapees.length === 0) return;
    this.termination = this.terminate({ pids: escapees.map((e) => e.pid) }, this.killing);
    await this.termination.done;
    this.termination = undefined;
    this.system(describeEscapees(escapees));
  }

  private cancelRestart(): void {
    if (this.restartTimer) this.options.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartAt = undefined;
  }

  private setStatus(status: ProcessStatus): void {
    this.status = status;
    this.snapshot = undefined;
    this.options.onChange();
  }
}

/** The shell's 127 (not found) and 126 (not executable), in words; undefined for any other exit. */
function unrunnableReason(exit: ExitInfo, command: string): string | undefined {
  if (exit.signal !== null || (exit.code !== 127 && exit.code !== 126)) return undefined;
  const word = commandWord(command);
  const what = exit.code === 127 ? 'command not found' : 'command not executable';
  return word ? `${what}: ${word}` : what;
}

/** "60 s", "1.5 s": a probe's timeout as its reason says it. */
function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
