import { randomUUID } from 'node:crypto';
import { runSettings } from '../../src/config/settings/run-settings.js';
import type { ProcessSpec, RunSettings } from '../../src/config/types.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import type { ProcessState } from '../../src/engine/process-state.js';
import { defaultRestartPolicy } from '../../src/engine/restart-policy.js';
import { Supervisor, type SupervisorOptions } from '../../src/engine/supervisor.js';
import { killPids, pidsWithMarker } from './procs.js';
import { MARKER } from './supervisor.js';
import { waitFor } from './wait.js';

export interface SettingsEntry {
  command: string;
  /** Beats the defaults of runSettings (as devrun.yaml would). */
  run?: Partial<RunSettings>;
}

/**
 * A supervisor over real `sh` children whose specs carry run settings (what devrun.yaml gives), tagged
 * with a marker so leftovers can be found and killed. Short backoff; memory sampled every `memorySampleIntervalMs`;
 * `cwd` is the project root (watch globs are relative to it), `watchFolder` how a folder is watched.
 */
export function makeSettingsSupervisor(
  entries: Record<string, SettingsEntry>,
  options: Pick<SupervisorOptions, 'memorySampleIntervalMs' | 'watchFolder'> & { cwd?: string } = {},
) {
  const marker = randomUUID();
  const specs: ProcessSpec[] = Object.entries(entries).map(([entry, e], index) => ({
    name: `${entry}.1`,
    entry,
    index,
    instance: 1,
    command: e.command,
    port: 5000 + index * 100,
    run: { ...runSettings({ timeoutSeconds: 2 }, undefined), ...e.run },
  }));
  const supervisor = new Supervisor({
    specs,
    env: { ...(process.env as Record<string, string>), [MARKER]: marker },
    cwd: options.cwd ?? process.cwd(),
    runId: randomUUID(),
    policy: { ...defaultRestartPolicy, initialDelayMs: 50, maxDelayMs: 200 },
    sampleIntervalMs: 0,
    memorySampleIntervalMs: options.memorySampleIntervalMs,
    watchFolder: options.watchFolder,
    groups: new SystemProcessGroups(),
  });
  const state = (name: string): ProcessState => supervisor.processes().find((p) => p.name === name)!;
  const logLines = (name: string) => supervisor.logs.lines(name).toArray();
  const waitState = (name: string, test: (s: ProcessState) => boolean, what: string, timeoutMs = 20_000) =>
    waitFor(() => test(state(name)) && state(name), { what: `${name} ${what}`, timeoutMs });
  const waitLine = (name: string, text: string | RegExp, timeoutMs = 20_000) =>
    waitFor(() => logLines(name).find((l) => (typeof text === 'string' ? l.text.includes(text) : text.test(l.text))), {
      what: `${name} to print ${text}`,
      timeoutMs,
    });
  const survivors = () => pidsWithMarker(MARKER, marker);
  const cleanup = async () => {
    await supervisor.killAll();
    killPids(survivors());
  };
  return { supervisor, state, logLines, waitState, waitLine, survivors, cleanup };
}
