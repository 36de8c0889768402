import { constants } from 'node:os';
import { execa } from 'execa';

/**
 * `devrun run CMD`: one command in the foreground with the terminal inherited. It shares devrun's
 * process group, so Ctrl-C reaches it directly; devrun only waits and passes on its exit code.
 */
export async function runForeground(argv: string[], env: Record<string, string>, cwd: string): Promise<number> {
  const [file, ...args] = argv;
  const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const child = execa(file!, args, { env, extendEnv: false, cwd, stdio: 'inherit', reject: false, cleanup: true });
  // The terminal delivers SIGINT to both, so devrun just survives it; SIGTERM/SIGHUP sent to devrun
  // alone are passed on.
  const forward = (signal: NodeJS.Signals) => () => {
    if (signal !== 'SIGINT') child.kill(signal);
  };
  const handlers = forwarded.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const result = await child;
    if (result.failed && result.exitCode === undefined && !result.signal) {
      process.stderr.write(`devrun: cannot run ${file}: ${result.originalMessage ?? result.shortMessage}\n`);
      return 127;
    }
    if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
    return result.exitCode ?? 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
