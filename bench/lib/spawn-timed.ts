// Runs one headless command to completion with its output in a file: wall time, exit status, and
// (optionally) its own peak RSS and CPU seconds.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ProcMonitor } from './monitor.js';
import { now } from './wait.js';

export interface TimedResult {
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  peakRssKb?: number;
  cpu?: number;
}

export interface TimedOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdout: string;
  stderr: string;
  timeoutMs: number;
  monitor?: boolean;
}

export function runTimed(command: string, args: string[], options: TimedOptions): Promise<TimedResult> {
  const out = openSync(options.stdout, 'w');
  const err = openSync(options.stderr, 'w');
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, err] });
    const monitor = options.monitor && child.pid !== undefined ? new ProcMonitor(child.pid) : undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      monitor?.stop();
      closeSync(out);
      closeSync(err);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      const wallMs = now() - started;
      clearTimeout(timer);
      const usage = monitor?.stop();
      closeSync(out);
      closeSync(err);
      resolve({ wallMs, code, signal, timedOut, ...(usage && { peakRssKb: usage.peakRssKb, cpu: usage.cpu }) });
    });
  });
}

/** Starts a long-running headless command with its output in a file; the caller stops it. */
export function spawnToFile(command: string, args: string[], options: Omit<TimedOptions, 'timeoutMs' | 'monitor'>) {
  const out = openSync(options.stdout, 'w');
  const err = openSync(options.stderr, 'w');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: now() })),
  );
  return { child, exited };
}
