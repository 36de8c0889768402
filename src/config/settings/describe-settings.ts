import type { RunSettings } from '../types.js';
import type { ProbeCheck, ReadyProbe } from './types.js';

/**
 * One line of a process's effective settings (run-settings.ts), for `devrun check`. Keys left unset and
 * without a default are left out. Pure.
 */
export function describeSettings(run: RunSettings): string {
  const parts: string[] = [];
  const dependencies = Object.entries(run.dependsOn);
  if (dependencies.length > 0) parts.push(`after ${dependencies.map(([name, condition]) => `${name} ${condition}`).join(', ')}`);
  if (run.ready) parts.push(`ready: ${describeProbe(run.ready)}`);
  parts.push(`restart ${run.restart} (max ${run.maxRestarts})`);
  parts.push(`stop ${run.stopSignal.slice(3)}, kill after ${seconds(run.stopTimeoutMs)}`);
  if (!run.autostart) parts.push('not started until asked');
  if (run.cwd !== undefined) parts.push(`cwd ${run.cwd}`);
  const env = Object.keys(run.env);
  if (env.length > 0) parts.push(`env ${env.join(', ')}`);
  if (run.maxMemory !== undefined) parts.push(`max memory ${mebibytes(run.maxMemory)}`);
  if (run.watch) parts.push(`watch ${run.watch.globs.join(', ')}${run.watch.ignore.length ? ` (not ${run.watch.ignore.join(', ')})` : ''}`);
  if (run.onDependencyRestart === 'restart') parts.push('restarts with its dependencies');
  return parts.join(' · ');
}

/** What a probe checks, in a few words: `port 5432`, `http://localhost:3000/up → 200-399`, `log /listening/`. */
export function describeCheck(check: ProbeCheck): string {
  if (check.kind === 'port') return `port ${check.port}`;
  if (check.kind === 'log') return `log /${check.pattern}/`;
  const { min, max } = check.status;
  return `${check.url} → ${min === max ? min : `${min}-${max}`}`;
}

function describeProbe({ check, intervalMs, timeoutMs, initialDelayMs }: ReadyProbe): string {
  const what = describeCheck(check);
  const delay = initialDelayMs > 0 ? `, from ${seconds(initialDelayMs)}` : '';
  return `${what} (every ${seconds(intervalMs)}, up to ${seconds(timeoutMs)}${delay})`;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
export const mebibytes = (bytes: number) => `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
