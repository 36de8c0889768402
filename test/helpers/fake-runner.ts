import type { Clock } from '../../src/engine/clock.js';
import type { ProcessGroups, StopOptions, StopTarget, Termination } from '../../src/engine/process-groups.js';
import type { ExitInfo, OutputStream, Runner, RunningChild, StartOptions } from '../../src/engine/runner.js';

/** How a fake child answers SIGTERM: it exits at once, after a delay on the clock, or never (KILL only). */
export type TermBehaviour = { exitsAfterMs: number } | 'ignores';

/** A child that exists only in memory: the test makes it print and exit. */
export class FakeChild implements RunningChild {
  readonly terminal = false;
  readonly written: string[] = [];
  exited: ExitInfo | undefined;
  onTerm: TermBehaviour = { exitsAfterMs: 0 };
  private readonly dataListeners: Array<(chunk: Uint8Array, stream: OutputStream) => void> = [];
  private readonly exitListeners: Array<(exit: ExitInfo) => void> = [];

  constructor(
    readonly pid: number,
    readonly options: StartOptions,
  ) {}

  write(data: string | Uint8Array): void {
    this.written.push(typeof data === 'string' ? data : Buffer.from(data).toString());
  }

  resize(): void {}

  onData(listener: (chunk: Uint8Array, stream: OutputStream) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): void {
    this.exitListeners.push(listener);
  }

  print(text: string, stream: OutputStream = 'stdout'): void {
    for (const listener of this.dataListeners) listener(Buffer.from(text), stream);
  }

  exit(exit: ExitInfo): void {
    if (this.exited) return;
    this.exited = exit;
    for (const listener of this.exitListeners) listener(exit);
  }
}

export class FakeRunner implements Runner {
  readonly children: FakeChild[] = [];
  private nextPid = 1000;

  start(options: StartOptions): RunningChild {
    const child = new FakeChild(this.nextPid++, options);
    this.children.push(child);
    return child;
  }

  get last(): FakeChild {
    const child = this.children.at(-1);
    if (!child) throw new Error('nothing started yet');
    return child;
  }
}

/**
 * Process groups over fake children, on the test's clock: a group is alive until its child exited,
 * signals are recorded, and SIGTERM / SIGKILL make the child exit as its TermBehaviour says.
 * `escaped` pids stand for processes outside any group, alive until signalled.
 */
export class FakeGroups implements ProcessGroups {
  readonly signals: Array<{ target: string; signal: NodeJS.Signals }> = [];
  readonly escaped = new Set<number>();
  /** How long an escaped process takes to end after SIGTERM (SIGKILL ends it at once). */
  escapedTermMs = 0;

  constructor(
    private readonly runner: FakeRunner,
    private readonly clock: Clock,
  ) {}

  signal(pgid: number, signal: NodeJS.Signals): boolean {
    this.signals.push({ target: `group ${pgid}`, signal });
    const child = this.child(pgid);
    if (!child || child.exited) return false;
    if (signal === 'SIGKILL') queueMicrotask(() => child.exit({ code: null, signal: 'SIGKILL' }));
    else if (signal === 'SIGTERM' && child.onTerm !== 'ignores') {
      const exitTerm = () => child.exit({ code: null, signal: 'SIGTERM' });
      const { exitsAfterMs } = child.onTerm;
      if (exitsAfterMs === 0) queueMicrotask(exitTerm);
      else this.clock.setTimeout(exitTerm, exitsAfterMs);
    }
    return true;
  }

  isAlive(pgid: number): boolean {
    const child = this.child(pgid);
    return child !== undefined && !child.exited;
  }

  terminate(target: StopTarget, options: StopOptions): Termination {
    const alive = () => ('group' in target ? this.isAlive(target.group) : target.pids.some((pid) => this.escaped.has(pid)));
    const send = (signal: NodeJS.Signals) => {
      if ('group' in target) return this.signal(target.group, signal);
      for (const pid of target.pids) {
        this.signals.push({ target: `pid ${pid}`, signal });
        if (signal === 'SIGKILL' || this.escapedTermMs === 0) this.escaped.delete(pid);
        else this.clock.setTimeout(() => this.escaped.delete(pid), this.escapedTermMs);
      }
      return true;
    };
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      send('SIGKILL');
    };
    const done = new Promise<void>((resolve) => {
      if (!alive()) return resolve();
      send(options.first ?? 'SIGTERM');
      killed = options.first === 'SIGKILL';
      const timer = this.clock.setTimeout(() => {
        if (!alive() || killed) return;
        kill();
        options.onEscalate?.();
      }, options.timeoutMs);
      const check = () => {
        if (alive()) return void setImmediate(check);
        this.clock.clearTimeout(timer);
        resolve();
      };
      check();
    });
    return { done, killNow: kill };
  }

  private child(pgid: number): FakeChild | undefined {
    return this.runner.children.find((c) => c.pid === pgid);
  }
}
