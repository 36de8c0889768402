// One command under test in a tmux window (optionally under `script` to record the bytes it writes).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { killMarked } from './cleanup.js';
import { DEVRUN_BIN, DONE_KEY, TAG_KEY } from './config.js';
import { shq } from './fixtures.js';
import { cmdline, exeName, isRunning, pidsWithEnv } from './procfs.js';
import { Tmux } from './tmux.js';
import { now, pollUntil } from './wait.js';

export interface TuiRunOptions {
  cwd: string;
  /** Shell command line of the program under test. */
  command: string;
  /** Record the terminal output with `script -f` into this file. */
  typescript?: string;
  doneDir?: string;
}

const EXIT = /EXIT=(\d+)/;

export class TuiRun {
  readonly tmux: Tmux;
  readonly tag: string;
  launchedAt = 0;
  private tsHeader = 0;

  private constructor(private readonly options: TuiRunOptions) {
    this.tag = `${path.basename(options.cwd)}-${Math.random().toString(36).slice(2, 8)}`;
    this.tmux = new Tmux(options.cwd);
  }

  static async open(options: TuiRunOptions): Promise<TuiRun> {
    const run = new TuiRun(options);
    try {
      await run.tmux.ready();
    } catch (error) {
      run.close();
      throw error;
    }
    return run;
  }

  /** Types the command line, then presses Enter: returns the moment Enter was sent. */
  launch(): number {
    const env = [`${TAG_KEY}=${this.tag}`, ...(this.options.doneDir ? [`${DONE_KEY}=${shq(this.options.doneDir)}`] : [])].join(' ');
    const { command, typescript } = this.options;
    const program = typescript ? `script -q -f -e -c ${shq(command)} ${shq(typescript)}` : command;
    this.tmux.type(`${env} ${program}; echo "EXIT=$?"`);
    this.launchedAt = now();
    this.tmux.keys('Enter');
    return this.launchedAt;
  }

  /** The pid of the process under test: tagged, and matching `which`. */
  async findPid(which: (pid: number) => boolean, timeoutMs = 15_000): Promise<number> {
    return pollUntil(() => pidsWithEnv(TAG_KEY, this.tag).find(which), {
      timeoutMs,
      intervalMs: 20,
      what: 'the pid of the program under test',
    });
  }

  findDevrun(timeoutMs?: number): Promise<number> {
    return this.findPid(isDevrunProcess, timeoutMs);
  }

  /** Bytes the program wrote to the terminal so far (the typescript minus script's own header and trailer). */
  terminalBytes(): number {
    const file = this.options.typescript;
    if (!file) return 0;
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return 0;
    }
    const fd = openSync(file, 'r');
    try {
      if (this.tsHeader === 0) {
        const head = Buffer.alloc(Math.min(size, 4096));
        readSync(fd, head, 0, head.length, 0);
        const nl = head.indexOf(0x0a);
        if (nl >= 0 && head.subarray(0, 15).toString() === 'Script started ') this.tsHeader = nl + 1;
      }
      const tailLength = Math.min(size, 512);
      const tail = Buffer.alloc(tailLength);
      readSync(fd, tail, 0, tailLength, size - tailLength);
      const done = tail.lastIndexOf('\nScript done on ');
      const trailer = done >= 0 ? tailLength - done - 1 : 0;
      return Math.max(0, size - this.tsHeader - trailer);
    } finally {
      closeSync(fd);
    }
  }

  /** Waits for the shell to print the program's exit code. */
  async exitCode(timeoutMs = 20_000): Promise<number> {
    const { screen } = await this.tmux.waitFor(EXIT, { timeoutMs, what: 'the exit code line (EXIT=n)' });
    return Number(EXIT.exec(screen)?.[1]);
  }

  /** Processes still carrying this run's tag (call after the program exited: they were left behind). */
  leftovers(): number[] {
    return pidsWithEnv(TAG_KEY, this.tag);
  }

  close(): string[] {
    this.tmux.kill();
    return killMarked(TAG_KEY, this.tag);
  }
}

export function isDevrunProcess(pid: number): boolean {
  const argv = cmdline(pid);
  return exeName(pid).startsWith('node') && argv.some((a) => a === DEVRUN_BIN || a.endsWith('/bin/devrun.js'));
}

/** Polls finely until the process is gone (or a zombie); returns that moment. */
export async function waitGone(pid: number, timeoutMs: number, intervalMs = 5): Promise<number> {
  return pollUntil(() => !isRunning(pid) && now(), { timeoutMs, intervalMs, what: `pid ${pid} to exit` });
}
