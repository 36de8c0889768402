// Paths and knobs shared by every workload.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEVRUN_BIN = path.join(REPO, 'bin', 'devrun.js');
/** The node flags of the bin's shebang (`#!/usr/bin/env -S node FLAGS`): `node bin/devrun.js` passes them as users' installs do. */
export const NODE_FLAGS = (/^#!.*\bnode\b(.*)$/m.exec(readFileSync(DEVRUN_BIN, 'utf8'))?.[1] ?? '').split(' ').filter(Boolean);
export const PEERS_DIR = path.join(REPO, 'bench', '.peers');

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Repetitions of every timed measurement (medians are reported). */
export const RUNS = positiveInt(process.env.BENCH_RUNS, 3);
/** Length of the idle measurement window, seconds. */
export const IDLE_SECONDS = positiveInt(process.env.BENCH_IDLE_SECONDS, 20);

/**
 * Every process the bench starts inherits MARK_KEY=MARK (set in run.ts before anything is spawned),
 * so whatever is left at the end of a workload can be found in /proc/PID/environ and killed.
 */
export const MARK_KEY = 'DEVRUN_BENCH_MARK';
export const MARK = `${process.pid}-${randomUUID().slice(0, 8)}`;
/** Per-run tag, set only on the command under test: what is left with it after that command exited was left behind by it. */
export const TAG_KEY = 'DEVRUN_BENCH_TAG';
/** Writers drop `<id>.json` (start/end times) in this folder when they have written everything. */
export const DONE_KEY = 'BENCH_DONE_DIR';
