// Driving devrun's dashboard: launch in tmux, read its header, quit it.
import { DEVRUN_BIN, NODE_FLAGS } from './config.js';
import { shq } from './fixtures.js';
import { describe } from './procfs.js';
import { TuiRun, waitGone } from './tui-run.js';
import { now } from './wait.js';

export function devrunCommand(procfile: string, extra: string[] = []): string {
  return ['node', ...NODE_FLAGS, shq(DEVRUN_BIN), '-f', shq(procfile), ...extra.map(shq)].join(' ');
}

export function openDevrunTui(options: {
  dir: string;
  procfile: string;
  extra?: string[];
  typescript?: string;
  doneDir?: string;
}): Promise<TuiRun> {
  return TuiRun.open({
    cwd: options.dir,
    command: devrunCommand(options.procfile, options.extra),
    ...(options.typescript && { typescript: options.typescript }),
    ...(options.doneDir && { doneDir: options.doneDir }),
  });
}

/** The dashboard's first line, `devrun 4 running · ...`: matches when it reports `count status`. */
export const headerSays = (count: number, status: string) => new RegExp(`^devrun .*\\b${count} ${status}\\b`, 'm');

export interface QuitResult {
  /** From pressing q to the devrun process being gone. */
  quitMs: number;
  code: number;
  /** Processes that still carried the run's tag after devrun exited. */
  leftovers: string[];
}

export async function quitDevrun(run: TuiRun, pid: number, timeoutMs = 30_000): Promise<QuitResult> {
  run.tmux.keys('q');
  const pressed = now();
  const gone = await waitGone(pid, timeoutMs);
  const code = await run.exitCode();
  return { quitMs: gone - pressed, code, leftovers: run.leftovers().map(describe) };
}
