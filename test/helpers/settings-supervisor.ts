import { randomUUID } from 'node:crypto';
import { runSettings } from '../../src/config/settings/run-settings.js';
import type { ProcessSpec, RunSettings } from '../../src/config/types.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import type { ProcessState } from '../../src/engine/process-state.js';
import { defaultRestartPolicy } from '../../src/engine/restart-policy.js';
import { Supervisor, type SupervisorOptions } from '../../src/engine/supervisor.js';
import { killPids, pidsWithMarker } from './procs.js';
import { MARKER, watching } from './supervisor.js';
import { waitFor } from './wait.js';

export interface SettingsEntry {
  command: string;
  /** Beats the defaults of runSettings (as devrun.yaml would). */
  run?: Partial<RunSettings>;
}

/**
 * A supervisor over real `sh` children whose specs carry run settings (what devrun.yaml gives), tagged
 * with a marker so leftovers can be found and killed. Short backoff; resource sampling off unless `sampleIntervalMs`
 * (its rounds then measure memory too), else memory sampled every `memorySampleIntervalMs`;
 * `cwd` is the project root (watch globs are relative to it), `watchFolder` how a folder is watched.
 */
export function makeSettingsSupervisor(
  entries: Record<string, SettingsEntry>,
  options: Pick<SupervisorOptions, 'sampleIntervalMs' | 'memorySampleIntervalMs' | 'watchFolder'> & { cwd?: string } = {},
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
    sampleIntervalMs: options.sampleIntervalMs ?? 0,
    memorySampleIntervalMs: options.memorySampleIntervalMs,
    watchFolder: options.watchFolder,
    groups: new SystemProcessGroups(),
  });
  return { supervisor, ...watching(supervisor, marker, 20_000) };
}
