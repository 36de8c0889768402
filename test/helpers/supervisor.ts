import { randomUUID } from 'node:crypto';
import type { ProcessSpec } from '../../src/config/types.js';
import type { Clock } from '../../src/engine/clock.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import type { ProcessState } from '../../src/engine/process-state.js';
import { defaultRestartPolicy, type RestartPolicy } from '../../src/engine/restart-policy.js';
import { Supervisor } from '../../src/engine/supervisor.js';
import { killPids, pidsWithMarker } from './procs.js';
import { waitFor } from './wait.js';

export const MARKER = 'DEVRUN_TEST_MARKER';

/** A supervisor over real `sh` children, each tagged with a marker so leftovers can be found and killed. */
export function makeSupervisor(
  commands: Record<string, string>,
  options: {
    policy?: Partial<RestartPolicy>;
    stopTimeoutMs?: number;
    sampleIntervalMs?: number;
    clock?: Clock;
    /** What r and reload read as "the files": the commands at that moment. */
    reloadCommands?: () => Record<string, string>;
  } = {},
) {
  const marker = randomUUID();
  const specsOf = (from: Record<string, string>): ProcessSpec[] =>
    Object.entries(from).map(([entry, command], index) => ({
      name: `${entry}.1`,
      entry,
      index,
      instance: 1,
      command,
      port: 5000 + index * 100,
    }));
  const specs = specsOf(commands);
  const env = { ...(process.env as Record<string, string>), [MARKER]: marker };
  const { reloadCommands } = options;
  const supervisor = new Supervisor({
    specs,
    env,
    reload: reloadCommands && (() => ({ ok: true, project: { specs: specsOf(reloadCommands()), env } })),
    cwd: process.cwd(),
    runId: randomUUID(),
    policy: { ...defaultRestartPolicy, initialDelayMs: 50, maxDelayMs: 200, ...options.policy },
    stopTimeoutMs: options.stopTimeoutMs ?? 2000,
    sampleIntervalMs: options.sampleIntervalMs ?? 0,
    clock: options.clock,
    // The children are real, so their stops poll the real process table on the real clock.
    groups: new SystemProcessGroups(),
  });
  return { supervisor, ...watching(supervisor, marker, 10_000) };
}

/**
 * What a test reads of a supervisor over real children tagged with `marker`: states, log lines, waits
 * with a deadline (`timeoutMs` by default), the children left alive, and a cleanup that kills them.
 */
export function watching(supervisor: Supervisor, marker: string, timeoutMs: number) {
  const state = (name: string): ProcessState => supervisor.processes().find((p) => p.name === name)!;
  const logLines = (name: string) => supervisor.logs.lines(name).toArray();
  const lines = (name: string) => logLines(name).map((l) => l.text);
  const waitState = (name: string, test: (s: ProcessState) => boolean, what: string, ms = timeoutMs) =>
    waitFor(() => test(state(name)) && state(name), { what: `${name} ${what}`, timeoutMs: ms });
  const waitLine = (name: string, text: string | RegExp, ms = timeoutMs) =>
    waitFor(() => lines(name).find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l))), {
      what: `${name} to print ${text}`,
      timeoutMs: ms,
    });
  const survivors = () => pidsWithMarker(MARKER, marker);
  const cleanup = async () => {
    await supervisor.killAll();
    killPids(survivors());
  };
  return { state, lines, logLines, waitState, waitLine, survivors, cleanup };
}
