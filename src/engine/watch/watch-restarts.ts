import type { Clock, TimerHandle } from '../clock.js';
import { isNotStarted, type ProcessState, type ProcessStatus } from '../process-state.js';

/** Changes this close together are one restart: a save that writes several files, a `git checkout`. */
export const WATCH_DEBOUNCE_MS = 300;
/** This many watch restarts within this long pause the watch: something keeps writing into the watched files. */
export const WATCH_PAUSE = { restarts: 3, withinMs: 30_000 } as const;

/**
 * What a change does in each state: restart it (up, or ended: a fix may make it run, a one-shot runs
 * again), fold into the restart under way (it is starting or stopping: decided once that has settled), or
 * nothing (not started yet, or stopped by hand: a change does not start what you stopped).
 */
export function onChangeIn(status: ProcessStatus): 'restart' | 'fold' | 'ignore' {
  if (status === 'starting' || status === 'stopping') return 'fold';
  if (isNotStarted(status)) return 'ignore';
  return 'restart';
}

export interface WatchRestartsOptions {
  clock: Clock;
  /** The process now: its status, and when its current run started. */
  state: () => Pick<ProcessState, 'status' | 'startedAt'>;
  restart: () => void;
  /** A line under the process's name. */
  say: (text: string) => void;
}

/**
 * When a process's watched files changed, whether and when it restarts: the decisions, on an injected
 * clock (the files are watched by tree-watcher.ts). Changes are debounced (WATCH_DEBOUNCE_MS of quiet);
 * those that come while it starts or stops wait until that has settled, and cause one more restart only
 * when they came after the new run started (before that, the new run reads them anyway). WATCH_PAUSE's
 * restarts in its window pause the watch with a line naming the path that kept changing; a start or
 * restart by hand resumes it.
 */
export class WatchRestarts {
  /** The changed paths not acted on yet, first seen first. */
  private pending: string[] = [];
  private lastChangeAt = 0;
  private timer: TimerHandle | undefined;
  private history: { at: number; paths: string[] }[] = [];
  private paused = false;

  constructor(private readonly options: WatchRestartsOptions) {}

  changed(path: string): void {
    if (this.paused) return;
    const { clock } = this.options;
    if (!this.pending.includes(path)) this.pending.push(path);
    this.lastChangeAt = clock.now();
    if (this.timer) clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.decide();
    }, WATCH_DEBOUNCE_MS);
  }

  /** The process changed state: changes that waited for a start or stop to settle are decided now. */
  settled(): void {
    if (!this.timer && this.pending.length > 0) this.decide();
  }

  /** Started or restarted by hand: watching again, with a fresh count. */
  resume(): void {
    this.paused = false;
    this.history = [];
  }

  close(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private decide(): void {
    const { status, startedAt } = this.options.state();
    const step = onChangeIn(status);
    if (step === 'fold') return;
    const paths = this.pending;
    this.pending = [];
    // A run that started after the last change has read it already.
    const seen = startedAt !== undefined && this.lastChangeAt < startedAt;
    if (step === 'ignore' || seen) return;
    this.restart(paths);
  }

  private restart(paths: string[]): void {
    const now = this.options.clock.now();
    this.history = [...this.history.filter((h) => now - h.at < WATCH_PAUSE.withinMs), { at: now, paths }];
    const more = paths.length > 1 ? ` and ${paths.length - 1} more` : '';
    this.options.say(`${paths[0]}${more} changed: restarting`);
    this.options.restart();
    if (this.history.length < WATCH_PAUSE.restarts) return;
    this.paused = true;
    this.close();
    this.options.say(
      `watch paused: ${WATCH_PAUSE.restarts} restarts within ${WATCH_PAUSE.withinMs / 1000} s, ` +
        `${mostChanged(this.history)} keeps changing (r restarts it and watches again)`,
    );
  }
}

/** The path in the most restarts (a tie goes to the one first seen last). */
function mostChanged(history: { paths: string[] }[]): string {
  const counts = new Map<string, number>();
  for (const { paths } of history) for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
  let best = '';
  for (const [path, count] of counts) if (count >= (counts.get(best) ?? 0)) best = path;
  return best;
}
