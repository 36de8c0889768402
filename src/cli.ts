import { check } from './commands/check.js';
import { run } from './commands/run.js';
import { start } from './commands/start.js';
import { verb } from './commands/verbs.js';
import { parseArgs } from './config/options.js';
import { tuneHeap } from './heap-tuning.js';

/** Composition root: the only place that reads process.argv or calls process.exit. */
async function main(): Promise<number> {
  tuneHeap();
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.kind === 'exit') {
    if (parsed.stdout) process.stdout.write(`${parsed.stdout}\n`);
    if (parsed.stderr) process.stderr.write(`${parsed.stderr}\n`);
    return parsed.code;
  }
  const { options } = parsed;
  if (options.command === 'check') return check(options);
  if (options.command === 'run') return run(options);
  if (options.command === 'verb') return verb(options);
  const { code, hungUp } = await start(options);
  if (hungUp) endByHangUp();
  return code;
}

/**
 * After a hang-up devrun dies of SIGHUP itself (status 129 to its parent, as any process killed by a
 * hang-up): process.exit() would restore the dead terminal's modes, and Node 20.20 aborts when that
 * fails (nodejs/node#51519). With no listener left, the re-raised signal takes its default action.
 */
function endByHangUp(): void {
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}

main().then(
  (code) => {
    // Let stdout drain (a pipe may still hold the last lines) before leaving; the callback also
    // runs when stdout is already closed (EPIPE).
    if (process.stdout.writableLength === 0 || process.stdout.destroyed) process.exit(code);
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`devrun: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(70);
  },
);
