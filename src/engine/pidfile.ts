import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_ID_VAR } from './child-env.js';
import { hasProcFs, readEnviron, readProcTable } from './proc-table.js';
import { type ProcessGroups, SystemProcessGroups } from './process-groups.js';
import type { Supervisor } from './supervisor.js';

/** What a running devrun records under `.devrun/` so a later run can clean up after a SIGKILL. */
export interface PidFileContents {
  devrunPid: number;
  runId: string;
  groups: Array<{ name: string; pgid: number }>;
}

export class PidFile {
  readonly path: string;
  private lastWritten = '';
  private failed = false;

  constructor(
    readonly root: string,
    /** The instance (root and Procfile) whose run this records: one file per instance. */
    readonly instanceId: string,
    private readonly onWarning: (message: string) => void = () => {},
  ) {
    this.path = join(root, '.devrun', `pids-${instanceId}.json`);
  }

  read(): PidFileContents | undefined {
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as PidFileContents;
      return Array.isArray(data.groups) && typeof data.runId === 'string' ? data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes atomically (tmp + rename) and only when the contents changed. A folder devrun cannot write
   * to (read-only checkout) only costs the stale cleanup: one warning, and devrun runs on.
   */
  write(contents: PidFileContents): void {
    const text = JSON.stringify(contents);
    if (text === this.lastWritten || this.failed) return;
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, this.path);
      this.lastWritten = text;
    } catch (error) {
      this.failed = true;
      this.onWarning(
        `cannot record process groups in ${this.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); a later run cannot clean up after a crash`,
      );
    }
  }

  remove(): void {
    if (this.failed) return;
    try {
      rmSync(this.path, { force: true });
    } catch {
      // Nothing recorded that could be removed.
    }
    this.lastWritten = '';
  }
}

/**
 * Groups a previous devrun left running (it was SIGKILLed, so it could not stop them). A group only
 * counts when one of its members still carries that run's id in its environment, so a recycled pgid
 * that now belongs to someone else is never touched. Without /proc nothing is reported.
 */
export function findStaleGroups(previous: PidFileContents | undefined): Array<{ name: string; pgid: number }> {
  // Whether that devrun is still alive is decided before (claimProject); its pid may also be a
  // zombie or reused, so only the run id in a member's environment counts here.
  if (!previous || !hasProcFs) return [];
  const table = readProcTable();
  return previous.groups.filter(({ pgid }) =>
    table.some((p) => p.pgrp === pgid && p.state !== 'Z' && readEnviron(p.pid)?.get(RUN_ID_VAR) === previous.runId),
  );
}

/** Stops stale groups in parallel; resolves when they are gone. */
export async function reapStaleGroups(
  groups: Array<{ pgid: number }>,
  timeoutMs: number,
  signaller: ProcessGroups = new SystemProcessGroups(),
): Promise<void> {
  await Promise.all(groups.map((g) => signaller.terminate({ group: g.pgid }, { timeoutMs }).done));
}

/**
 * Keeps the pid file in step with the supervisor's live groups while devrun runs; stop() removes it.
 * The run id is written before anything starts and a new group as soon as it is spawned, so a devrun
 * killed right after a spawn still leaves what the next run needs. Groups that ended are dropped once
 * per burst of state changes (a stale entry costs nothing: the reap checks liveness and the run id).
 */
export function recordGroups(pidFile: PidFile, supervisor: Supervisor, runId: string): { stop(): void } {
  let scheduled = false;
  let stopped = false;
  let recorded = new Set<number>();
  const write = () => {
    scheduled = false;
    if (stopped) return;
    const groups = [...supervisor.leaders()].map(([name, pgid]) => ({ name, pgid }));
    recorded = new Set(groups.map((g) => g.pgid));
    pidFile.write({ devrunPid: process.pid, runId, groups });
  };
  write();
  const unsubscribe = supervisor.subscribe((event) => {
    if (event.type !== 'state') return;
    const { pid } = event.process;
    if (pid !== undefined && !recorded.has(pid)) return write();
    if (scheduled) return;
    scheduled = true;
    setImmediate(write);
  });
  return {
    stop() {
      stopped = true;
      unsubscribe();
      pidFile.remove();
    },
  };
}
