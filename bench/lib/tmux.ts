// A private tmux server (its own socket) running a plain bash, driven with send-keys, read with capture-pane.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { shq } from './fixtures.js';
import { isRunning } from './procfs.js';
import { now, pollUntil } from './wait.js';

export const WIDTH = 120;
export const HEIGHT = 40;

export class Tmux {
  readonly socket = `devrun-bench-${randomUUID().slice(0, 8)}`;
  private readonly target = 'bench';
  private alive = true;

  constructor(cwd: string) {
    // CI=true would make Ink render only its last frame: the shell runs without it.
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.target,
      '-x',
      String(WIDTH),
      '-y',
      String(HEIGHT),
      '-c',
      cwd,
      'env',
      '-u',
      'CI',
      '-u',
      'FORCE_COLOR',
      'HISTFILE=/dev/null',
      'PS1=$ ',
      'bash',
      '--norc',
      '--noprofile',
    );
    this.tmux('set-option', '-t', this.target, 'window-size', 'manual');
    const [pid, socketPath] = this.tmux('display-message', '-p', '-t', this.target, '#{pid} #{socket_path}').trim().split(' ');
    this.serverPid = Number(pid);
    this.socketPath = socketPath ?? '';
  }

  private readonly serverPid: number;
  private readonly socketPath: string;

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Waits for the shell's prompt. */
  async ready(): Promise<void> {
    await this.waitFor((s) => /^\$ ?$/m.test(s), { timeoutMs: 10_000, what: 'the shell prompt' });
  }

  /** Types a command line without pressing Enter. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.target, '-l', text);
  }

  /** tmux key names: 'j', 'q', 'Enter'. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.target, ...keys);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.target);
  }

  /** Polls the screen until `test` holds; returns the screen and when it was captured. */
  async waitFor(
    test: RegExp | ((screen: string) => boolean),
    { timeoutMs, intervalMs = 50, what }: { timeoutMs: number; intervalMs?: number; what: string },
  ): Promise<{ screen: string; at: number }> {
    const check = test instanceof RegExp ? (s: string) => test.test(s) : test;
    let last = '';
    try {
      return await pollUntil(
        () => {
          last = this.screen();
          return check(last) && { screen: last, at: now() };
        },
        { timeoutMs, intervalMs, what },
      );
    } catch (error) {
      (error as Error).message += `\n--- last screen ---\n${last.replace(/\s+$/, '')}`;
      throw error;
    }
  }

  /** Appends everything the program in the pane writes to its terminal to `file` from now on (tmux pipe-pane). */
  pipeTo(file: string): void {
    this.tmux('pipe-pane', '-t', this.target, `cat >> ${shq(file)}`);
  }

  /** Kills the session: tmux closes its terminal, a hang-up for whatever runs in it (the server exits with its last session). */
  killSession(): void {
    this.tmux('kill-session', '-t', this.target);
  }

  /** Kills the server and waits (up to 2 s, then SIGKILL) until its process is gone. */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 2000;
    while (this.serverPid > 0 && isRunning(this.serverPid)) {
      if (Date.now() > deadline) {
        try {
          process.kill(this.serverPid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
        break;
      }
      execFileSync('sleep', ['0.01']);
    }
    // tmux leaves its socket file behind.
    if (this.socketPath.includes('devrun-bench-')) rmSync(this.socketPath, { force: true });
  }
}
