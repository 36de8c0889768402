import { finalExitCode } from './exit-code.js';
import type { ProcessState } from './process-state.js';
import type { SupervisorEvent } from './supervisor.js';

/**
 * The lifecycle of one run: from starting every process to the outcome. Rules:
 * - the first stop request stops everything gracefully (SIGTERM, the whole timeout, then SIGKILL);
 * - a later request from someone (q or Ctrl-C again, SIGINT or SIGTERM again) kills at once;
 * - a hang-up (SIGHUP, or the terminal's EIO) is one graceful stop however often it is reported, and
 *   never escalates; nor does output that closed, nor an internal error;
 * - the run ends when every process has ended: by itself for a headless run, only after a stop request
 *   for a dashboard (`waitForStop`); then what the run left outside its groups is stopped;
 * - the outcome is data (exit code, hang-up, per-process states): the caller decides how to leave.
 */
export type StopCause =
  /** q or Ctrl-C in the dashboard; later, a control client's stop. */
  | { kind: 'user'; why: string }
  | { kind: 'signal'; signal: NodeJS.Signals }
  /** SIGHUP, or the terminal failing with EIO: the user's terminal is gone. */
  | { kind: 'hangup'; why: string }
  /** stdout's reader went away (EPIPE: `devrun | head`). */
  | { kind: 'output-closed' }
  | { kind: 'internal-error'; error: unknown };

export interface RunOutcome {
  exitCode: number;
  /** The terminal is gone: leave without touching it (the caller ends by SIGHUP, status 129). */
  hungUp: boolean;
  internalError: boolean;
  processes: ProcessState[];
}

/** The signals a run answers: `process`, or an emitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** What the lifecycle needs of the supervisor. */
export interface RunSupervisor {
  startAll(): void;
  stopAll(): Promise<void>;
  killAll(): Promise<void>;
  stopRunEscapees(killNow: boolean): Promise<void>;
  note(text: string): void;
  allEnded(): boolean;
  readonly isShuttingDown: boolean;
  processes(): ProcessState[];
  subscribe(listener: (event: SupervisorEvent) => void): () => void;
}

export interface RunLifecycleOptions {
  signals: SignalSource;
  /** True for a dashboard: the run stays until someone asks it to stop, even when every process ended. */
  waitForStop: boolean;
  /** Told of every stop request (the first, a kill, a hang-up during the stop), e.g. to give up a dead terminal. */
  onStop?: (cause: StopCause) => void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const INTERNAL_ERROR_EXIT = 70;

export class RunLifecycle {
  private stoppedBy: NodeJS.Signals | undefined;
  private hungUp = false;
  private internalError = false;
  private killedAll = false;
  private finishing = false;
  private unsubscribe: () => void = () => {};
  private resolveOutcome: (outcome: RunOutcome) => void = () => {};
  readonly outcome: Promise<RunOutcome> = new Promise((resolve) => (this.resolveOutcome = resolve));
  private readonly onSignal = (signal: NodeJS.Signals) =>
    this.requestStop(signal === 'SIGHUP' ? { kind: 'hangup', why: 'SIGHUP received' } : { kind: 'signal', signal });

  constructor(
    private readonly supervisor: RunSupervisor,
    private readonly options: RunLifecycleOptions,
  ) {}

  /** Starts every process and answers signals until the run ends; resolves with its outcome. */
  run(): Promise<RunOutcome> {
    for (const signal of SIGNALS) this.options.signals.on(signal, this.onSignal);
    this.unsubscribe = this.supervisor.subscribe((event) => {
      if (event.type === 'state') this.checkEnded();
    });
    this.supervisor.startAll();
    this.checkEnded();
    return this.outcome;
  }

  requestStop(cause: StopCause): void {
    // Every process already ended: what remains (what left their groups) is being stopped.
    const again = this.supervisor.isShuttingDown || this.finishing;
    if (cause.kind === 'hangup') this.hungUp = true;
    if (cause.kind === 'internal-error') this.internalError = true;
    // devrun was stopped by a signal whenever one came, first or second (q, then Ctrl-C: 130).
    if (cause.kind === 'signal') this.stoppedBy ??= cause.signal;
    if (cause.kind === 'hangup') this.stoppedBy ??= 'SIGHUP';
    if (again) {
      // Only a person asking twice means "now": a hang-up, closed output or a crash during the stop does not.
      if (cause.kind !== 'user' && cause.kind !== 'signal') {
        this.options.onStop?.(cause);
        return;
      }
      this.supervisor.note(`${describe(cause)} again: killing every process now`);
      this.killedAll = true;
      this.options.onStop?.(cause);
      void this.supervisor.killAll().then(() => this.checkEnded());
      return;
    }
    this.supervisor.note(`${describe(cause)}, stopping all processes`);
    this.options.onStop?.(cause);
    void this.supervisor.stopAll().then(() => this.checkEnded());
  }

  private checkEnded(): void {
    if (this.finishing || !this.supervisor.allEnded()) return;
    if (this.options.waitForStop && !this.supervisor.isShuttingDown) return;
    this.finishing = true;
    void this.finish();
  }

  private async finish(): Promise<void> {
    // The exit code is what the processes did: a stop request while the last escapees are stopped
    // (every process had already ended) only hurries them.
    const stoppedBy = this.stoppedBy;
    try {
      await this.supervisor.stopRunEscapees(this.killedAll);
    } catch {
      // Whatever failed there, the run must still end.
    }
    for (const signal of SIGNALS) this.options.signals.off(signal, this.onSignal);
    this.unsubscribe();
    const processes = this.supervisor.processes();
    this.resolveOutcome({
      exitCode: this.internalError ? INTERNAL_ERROR_EXIT : finalExitCode(processes, stoppedBy),
      hungUp: this.hungUp,
      internalError: this.internalError,
      processes,
    });
  }
}

function describe(cause: StopCause): string {
  switch (cause.kind) {
    case 'user':
    case 'hangup':
      return cause.why;
    case 'signal':
      return `${cause.signal} received`;
    case 'output-closed':
      return 'output closed';
    case 'internal-error':
      return 'internal error';
  }
}
