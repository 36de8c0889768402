import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { killPids, pidsWithMarker } from './procs.js';
import { waitFor } from './wait.js';

export const DEVRUN_BIN = resolve(import.meta.dirname, '../../bin/devrun.js');
const MARKER = 'DEVRUN_E2E_MARKER';

/** A temp project folder with the given files; `survivors()` finds processes started from it. */
export function makeProject(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'devrun-e2e-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const marker = randomUUID();
  return {
    dir,
    marker,
    env: { [MARKER]: marker },
    survivors: () => pidsWithMarker(MARKER, marker),
    cleanup() {
      killPids(pidsWithMarker(MARKER, marker));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitOutput(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI with piped stdio (so devrun runs headless) and CI unset. */
export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** A command to run devrun under (setpriv ...). */
  wrap?: string[];
  /** Another copy of bin/devrun.js. */
  bin?: string;
}

export function startCli(args: string[], options: CliOptions): CliRun {
  // CI=true makes Ink render only the last frame; a FORCE_COLOR from the test runner would leak in.
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CI;
  delete env.FORCE_COLOR;
  Object.assign(env, options.env);
  const command = [...(options.wrap ?? []), process.execPath, options.bin ?? DEVRUN_BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('close', (code, signal) => resolveExit({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitOutput: (pattern, timeoutMs = 10_000) =>
      waitFor(
        () => {
          const hit = typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out);
          return hit && out;
        },
        { timeoutMs, what: `output matching ${pattern}; got:\n${out}\n${err}` },
      ),
    exit,
  };
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: CliOptions) {
  const run = startCli(args, options);
  run.child.stdin!.end();
  const { code, signal } = await run.exit;
  return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
}
