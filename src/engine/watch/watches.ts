import type { ProcessSpec } from '../../config/types.js';
import type { Clock } from '../clock.js';
import type { ProcessState } from '../process-state.js';
import { TreeWatcher, type WatchFolder } from './tree-watcher.js';
import { WatchPlan } from './watch-plan.js';
import { WatchRestarts } from './watch-restarts.js';

export interface WatchesOptions {
  /** The project root: watch globs are relative to it. */
  root: string;
  clock: Clock;
  /** The run's processes now (a reload may change them: rebuild() then follows). */
  processes: () => readonly { spec: ProcessSpec; state(): ProcessState }[];
  /** A watch restart (not one by hand: that resumes a paused watch). */
  restart: (name: string) => void;
  /** A line under a process's name (`devrun` for the run's). */
  say: (name: string, text: string) => void;
  watch?: WatchFolder;
}

/**
 * The file watches of a run: one tree of watched folders per entry with `watch` (its instances share it),
 * one WatchRestarts per process. Started with the run, built anew after a reload, closed when it shuts down.
 */
export class Watches {
  private readonly restarts = new Map<string, WatchRestarts>();
  private readonly trees: TreeWatcher[] = [];
  private full = false;
  private started = false;

  constructor(private readonly options: WatchesOptions) {}

  start(): void {
    this.started = true;
    const { options } = this;
    const byEntry = new Map<string, { spec: ProcessSpec }[]>();
    for (const p of options.processes()) {
      const { spec } = p;
      if (!spec.run?.watch) continue;
      this.restarts.set(
        spec.name,
        new WatchRestarts({
          clock: options.clock,
          state: () => p.state(),
          say: (text) => options.say(spec.name, text),
          restart: () => options.restart(spec.name),
        }),
      );
      byEntry.set(spec.entry, [...(byEntry.get(spec.entry) ?? []), p]);
    }
    for (const instances of byEntry.values()) {
      const tree = new TreeWatcher({
        root: this.options.root,
        plan: new WatchPlan(instances[0]!.spec.run!.watch!),
        onChange: (path) => {
          for (const { spec } of instances) this.restarts.get(spec.name)?.changed(path);
        },
        // Said once for the run: the limit is the system's, not one process's.
        onProblem: (text) => {
          if (!this.full) this.options.say('devrun', text);
          this.full = true;
        },
        watch: this.options.watch,
      });
      this.trees.push(tree);
      tree.start();
    }
  }

  /** The process changed state. */
  settled(name: string): void {
    this.restarts.get(name)?.settled();
  }

  /** Started or restarted by hand. */
  resume(name: string): void {
    this.restarts.get(name)?.resume();
  }

  /** After a reload: every tree and restart state built from the processes' settings as they are now. */
  rebuild(): void {
    if (!this.started) return;
    this.close();
    this.start();
  }

  close(): void {
    this.started = false;
    for (const tree of this.trees) tree.close();
    this.trees.length = 0;
    for (const r of this.restarts.values()) r.close();
    this.restarts.clear();
  }
}
