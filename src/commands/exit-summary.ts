import { type FinishedRun, type RunSummary, summarizeRun } from '../engine/run-summary.js';
import { readLastRun, writeLastRun } from './last-run.js';
import { summaryToShow } from './summary-text.js';

/**
 * The exit summary's effects. When a run ends (after the terminal is restored): keep the summary in
 * `.devrun/last-run.json` and print it to stderr. When `devrun stop` has waited for a background run to
 * end: print the summary that run kept (a foreground run printed its own, on its own terminal).
 */
export function reportRun(run: FinishedRun): void {
  const summary = summarizeRun(run);
  // Quietly: a `.devrun` devrun cannot write to was reported when the run started (pid file, verbs).
  writeLastRun(summary);
  // A terminal that hung up is never touched again: the file is all there is.
  if (!summary.hungUp) show(summary);
}

/** `devrun stop` of the devrun with this pid: its summary, once it has ended and kept one. */
export function showStoppedRun(root: string, pid: number): void {
  const summary = readLastRun(root);
  if (summary?.pid === pid && summary.mode === 'background') show(summary);
}

function show(summary: RunSummary): void {
  const text = summaryToShow(summary, {
    stdoutIsTerminal: process.stdout.isTTY === true,
    // Wrapped for the terminal it lands on; 80 columns in a file or a pipe.
    width: (process.stderr.isTTY && process.stderr.columns) || 80,
  });
  if (text) process.stderr.write(text);
}
