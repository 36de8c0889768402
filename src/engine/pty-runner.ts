import { closeSync, constants as fsConstants, openSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import type { ExitInfo, OutputStream, Runner, RunningChild, StartOptions } from './runner.js';
import { shellScript } from './shell-script.js';

type PtyModule = typeof import('@lydell/node-pty');

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/**
 * Linux hangs up the master side as soon as the last slave fd closes, and unread output is lost (a
 * process that prints a burst and exits loses its tail). devrun holds the slave open itself until the
 * exit is reported: node-pty then reads everything before it gives up on the socket (200 ms after exit).
 * The slave's path is node-pty's `_pty` field (not in its typings; still there in 1.2.0-beta.15). The fd
 * is close-on-exec (libuv opens with O_CLOEXEC), so later children never inherit it.
 */
function openSlave(child: unknown): number | undefined {
  const path = (child as { _pty?: string })._pty;
  if (!path) return undefined;
  try {
    return openSync(path, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  } catch {
    return undefined;
  }
}

/**
 * node-pty 1.2 keeps the masters of other terminals out of a new child by marking the child's
 * descriptors close-on-exec, walking up from 3 and stopping at the first unused number above 15 (as
 * libuv does). The new terminal's slave is such a gap in the child (it moves to 0-2). When an exited
 * process left free numbers below other masters (a restart), the new pair lands there and the child
 * keeps every master above it: one such child that survives a hang-up keeps those terminals alive.
 * Filling the free numbers below the highest open one first puts the new pair on top, so nothing is
 * above the gap. Best effort: another thread could open or close a descriptor meanwhile. Linux only
 * (/proc/self/fd); elsewhere nothing is filled. Returns the fillers, to close right after the spawn.
 */
function fillDescriptorGaps(): number[] {
  const fillers: number[] = [];
  try {
    const highest = Math.max(...readdirSync('/proc/self/fd').map(Number));
    // open() takes the lowest free number: fill until a descriptor lands above the highest.
    for (;;) {
      const fd = openSync('/dev/null', fsConstants.O_RDONLY);
      if (fd > highest) {
        closeSync(fd);
        return fillers;
      }
      fillers.push(fd);
    }
  } catch {
    // No /proc, or out of descriptors: spawn as it comes.
    return fillers;
  }
}

/**
 * Runs `/bin/sh -c CMD` (as shellScript words it) on its own pseudo-terminal (prebuilt node-pty): the child is a session
 * leader with a controlling terminal, so its pid is also its process-group id, programs see a TTY
 * (prompts, colours, line editing, no block buffering), and devrun dying hangs the terminal up (SIGHUP).
 * stdout and stderr arrive as one stream. No child holds another terminal's master (node-pty 1.2 and
 * fillDescriptorGaps): one child that survives the hang-up keeps no other terminal alive.
 */
function ptyRunner(pty: PtyModule): Runner {
  return {
    start(options: StartOptions): RunningChild {
      const fillers = fillDescriptorGaps();
      let child: ReturnType<PtyModule['spawn']>;
      try {
        child = pty.spawn('/bin/sh', ['-c', shellScript(options.command)], {
          name: 'xterm-256color',
          cols: Math.max(1, options.columns),
          rows: Math.max(1, options.rows),
          cwd: options.cwd,
          env: options.env,
          encoding: null,
        });
      } finally {
        for (const fd of fillers) closeSync(fd);
      }
      const dataListeners: Array<(chunk: Uint8Array, stream: OutputStream) => void> = [];
      const exitListeners: Array<(exit: ExitInfo) => void> = [];
      const holdSlave = openSlave(child);
      child.onData((chunk) => {
        for (const listener of dataListeners) listener(chunk as unknown as Uint8Array, 'stdout');
      });
      let open = true;
      child.onExit(({ exitCode, signal }) => {
        open = false;
        if (holdSlave !== undefined) closeSync(holdSlave);
        const exit: ExitInfo = signal ? { code: null, signal: signalNames.get(signal) ?? 'SIGKILL' } : { code: exitCode, signal: null };
        for (const listener of exitListeners) listener(exit);
      });
      return {
        pid: child.pid,
        terminal: true,
        write(data) {
          // Bytes go through as they are: a key chunk may end inside a UTF-8 sequence.
          if (open) child.write(typeof data === 'string' ? data : Buffer.from(data));
        },
        resize(columns, rows) {
          if (open) child.resize(Math.max(1, columns), Math.max(1, rows));
        },
        onData(listener) {
          dataListeners.push(listener);
        },
        onExit(listener) {
          exitListeners.push(listener);
        },
      };
    },
  };
}

/** The PTY runner, or why it cannot load here (no prebuilt binary for this platform, say). */
export async function loadPtyRunner(): Promise<{ runner: Runner } | { error: string }> {
  try {
    const pty = (await import('@lydell/node-pty')) as PtyModule & { default?: PtyModule };
    return { runner: ptyRunner(pty.default ?? pty) };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] ?? 'cannot load' };
  }
}
