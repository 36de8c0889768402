// Runs a command and records how it ended, in a file, even when the terminal it runs in hangs up:
// `node record-status.mjs STATUS_FILE CMD ARGS...` writes {"code", "signal", "ms", "recorder"} once CMD
// exits (recorder: this process's pid, which carries the caller's environment too).
// It survives the hang-up by handling SIGHUP (a handler, unlike SIG_IGN, is not inherited by CMD).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [file, command, ...args] = process.argv.slice(2);
process.on('SIGHUP', () => {});
const started = Date.now();
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => writeFileSync(file, JSON.stringify({ code, signal, ms: Date.now() - started, recorder: process.pid })));
