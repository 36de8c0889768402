import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { waitFor } from './wait.js';

/**
 * A real terminal: a private tmux server (its own socket, so a developer's tmux is never touched)
 * running a plain shell, driven with send-keys and read with capture-pane.
 */
export class Tmux {
  private readonly socket = `devrun-test-${randomUUID().slice(0, 8)}`;
  private readonly target = 'main';

  constructor(width: number, height: number, cwd: string, env: Record<string, string> = {}) {
    // CI=true would make Ink render only its last frame: the shell in tmux runs without it.
    // tmux runs a command given as several words directly (no shell): values are passed as they are.
    const exports = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.target,
      '-x',
      String(width),
      '-y',
      String(height),
      '-c',
      cwd,
      'env',
      '-u',
      'CI',
      '-u',
      'FORCE_COLOR',
      ...exports,
      'PS1=PROMPT$ ',
      'bash',
      '--norc',
      '--noprofile',
    );
    this.tmux('set-option', '-t', this.target, 'window-size', 'manual');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types a command line into the shell and presses Enter. */
  run(commandLine: string): void {
    this.tmux('send-keys', '-t', this.target, '-l', commandLine);
    this.tmux('send-keys', '-t', this.target, 'Enter');
  }

  /** tmux key names: 'j', 'Tab', 'Enter', 'Escape', 'C-c', 'PageUp'. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.target, ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.target, '-l', text);
  }

  /** The visible screen as text; with `colours`, with the SGR sequences of each cell's attributes (capture-pane -e). */
  screen(colours = false): string {
    return this.tmux('capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', this.target);
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', this.target, '-x', String(width), '-y', String(height));
  }

  /** Waits until the screen satisfies `test` (a string, regex or predicate); returns that screen. */
  waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const check = typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
    let last = '';
    return waitFor(
      () => {
        last = this.screen();
        return check(last) && last;
      },
      { timeoutMs, intervalMs: 50, what: `screen to show ${String(test)}` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- screen ---\n${last}`);
    });
  }

  /** The pane's title, as the program in it set it (OSC 2). */
  paneTitle(): string {
    return this.tmux('display-message', '-p', '-t', this.target, '#{pane_title}').trim();
  }

  /** The pid of the shell in the pane: it carries the test's environment too, but is not devrun's. */
  shellPid(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.target, '#{pane_pid}').trim());
  }

  /** Closes the session as a user closing the window would: its terminal hangs up (SIGHUP, then EIO). */
  hangUp(): void {
    this.tmux('kill-session', '-t', this.target);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

/** After each test: its terminal's tmux server and its project (processes and folder) are gone. A second call for the same ones does nothing. */
export function endSession(term: Tmux | undefined, project: { cleanup(): void } | undefined): void {
  term?.kill();
  project?.cleanup();
}
