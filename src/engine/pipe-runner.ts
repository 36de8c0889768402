import { execa } from 'execa';
import type { ExitInfo, OutputStream, Runner, RunningChild, StartOptions } from './runner.js';
import { shellScript } from './shell-script.js';

/** How long to wait for the pipes to drain after the leader exited, when a grandchild keeps them open. */
const DRAIN_GRACE_MS = 150;

/** Runs `/bin/sh -c CMD` (as shellScript words it) in its own process group with piped stdio (stdout and stderr kept apart). */
export const pipeRunner: Runner = {
  start(options: StartOptions): RunningChild {
    const child = execa('/bin/sh', ['-c', shellScript(options.command)], {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      detached: true,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      // devrun owns termination: execa must not kill or wait on its own.
      cleanup: false,
      forceKillAfterDelay: false,
    });
    // Swallow the promise's result: exit is reported through onExit.
    child.catch(() => undefined);
    const pid = child.pid;
    if (pid === undefined) {
      const command = options.command.length > 80 ? `${options.command.slice(0, 80)}…` : options.command;
      throw new Error(`the system refused to start /bin/sh -c ${command} (command too long, or out of processes?)`);
    }

    const dataListeners: Array<(chunk: Uint8Array, stream: OutputStream) => void> = [];
    const exitListeners: Array<(exit: ExitInfo) => void> = [];
    const forward = (stream: OutputStream) => (chunk: Uint8Array) => {
      for (const listener of dataListeners) listener(chunk, stream);
    };
    child.stdout?.on('data', forward('stdout'));
    child.stderr?.on('data', forward('stderr'));
    // A child that closes its stdin early must not crash devrun with EPIPE.
    child.stdin?.on('error', () => undefined);

    let reported = false;
    const report = (exit: ExitInfo) => {
      if (reported) return;
      reported = true;
      for (const listener of exitListeners) listener(exit);
    };
    child.on('exit', (code, signal) => {
      const exit = { code, signal };
      // 'close' follows once stdout/stderr drained; a grandchild holding them open must not delay us.
      const timer = setTimeout(() => report(exit), DRAIN_GRACE_MS);
      child.once('close', () => {
        clearTimeout(timer);
        report(exit);
      });
    });

    return {
      pid,
      terminal: false,
      write(data) {
        if (child.stdin && !child.stdin.destroyed) child.stdin.write(data);
      },
      resize() {
        // Pipes have no size.
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
