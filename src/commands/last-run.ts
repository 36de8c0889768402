import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devrunDir, ensureDevrunDir } from '../control/private-dir.js';
import type { RunSummary } from '../engine/run-summary.js';

/**
 * `.devrun/last-run.json`: the summary of the run that ended last in this folder (its shape and
 * versioning: RunSummary in src/engine/run-summary.ts). Written atomically (tmp + rename), mode 0600,
 * in the private `.devrun/`; read back only from a regular file we own, and only when it has the
 * version 1 shape. Failures are values, never exceptions.
 */
export function lastRunPath(root: string): string {
  return join(devrunDir(root), 'last-run.json');
}

/** Keeps the summary; returns why it could not, or undefined. */
export function writeLastRun(summary: RunSummary): string | undefined {
  const dir = ensureDevrunDir(summary.root);
  if (!dir.ok) return dir.reason;
  const file = lastRunPath(summary.root);
  const tmp = join(dir.path, `.last-run.${process.pid}.tmp`);
  try {
    // A leftover tmp would keep its old mode under 'w'; 'wx' on a fresh name always gets 0600.
    rmSync(tmp, { force: true });
    writeFileSync(tmp, `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
    return undefined;
  } catch (error) {
    rmSync(tmp, { force: true });
    return `cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** The summary kept in `root`, or undefined when there is none we can trust. */
export function readLastRun(root: string): RunSummary | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(lastRunPath(root), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return undefined;
    const data: unknown = JSON.parse(readFileSync(fd, 'utf8'));
    return isRunSummary(data) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The version 1 fields the formatter reads, with their types (later versions only add fields). */
function isRunSummary(data: unknown): data is RunSummary {
  if (typeof data !== 'object' || data === null) return false;
  const s = data as Record<string, unknown>;
  return (
    typeof s.version === 'number' &&
    s.version >= 1 &&
    typeof s.pid === 'number' &&
    typeof s.mode === 'string' &&
    typeof s.exitCode === 'number' &&
    typeof s.failed === 'boolean' &&
    typeof s.internalError === 'boolean' &&
    typeof s.hungUp === 'boolean' &&
    typeof s.processCount === 'number' &&
    (s.logDir === null || typeof s.logDir === 'string') &&
    Array.isArray(s.unclean) &&
    s.unclean.every(isUnclean)
  );
}

function isUnclean(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const p = data as Record<string, unknown>;
  const exit = p.exit as Record<string, unknown> | null;
  return (
    typeof p.name === 'string' &&
    typeof p.state === 'string' &&
    typeof p.restarts === 'number' &&
    (p.why === null || typeof p.why === 'string') &&
    Array.isArray(p.lastLines) &&
    p.lastLines.every((line) => typeof line === 'string') &&
    (exit === null ||
      (typeof exit === 'object' &&
        (exit.code === null || typeof exit.code === 'number') &&
        (exit.signal === null || typeof exit.signal === 'string')))
  );
}
