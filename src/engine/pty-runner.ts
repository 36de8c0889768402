import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { constants } from 'node:os';
import { fillDescriptorGaps } from './descriptor-gaps.js';
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
