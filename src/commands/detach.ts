import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevrunDir } from '../control/private-dir.js';

/**
 * `devrun start -D`: everything is validated in the foreground (the caller did: Procfile, .env, flags),
 * then the same command line runs again as a supervisor in its own session, with no terminal, its output
 * going to `.devrun/<id>.log`. The foreground waits on a pipe (fd 3 of the child) until the supervisor
 * has claimed the project and spawned every process ("ready") or says why it could not ("error ..."),
 * prints one line, and leaves; the supervisor runs on until `devrun stop`, whatever happens to the
 * terminal or the SSH session it was started from.
 */
export const DETACHED_CHILD_FLAG = '--detached-child';
const READY_FD = 3;
const READY_TIMEOUT_MS = 30_000;

export async function detach(root: string, instanceId: string): Promise<number> {
  const dir = ensureDevrunDir(root);
  if (!dir.ok) {
    process.stderr.write(`devrun: cannot run in the background: ${dir.reason}\n`);
    return 1;
  }
  const logPath = join(dir.path, `${instanceId}.log`);
  const log = openSync(logPath, 'a', 0o600);
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    ...process.argv.slice(2).filter((a) => a !== '-D' && a !== '--detach'),
    DETACHED_CHILD_FLAG,
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log, 'pipe'], env: process.env });
  closeSync(log);
  const answer = await readAnswer(child.stdio[READY_FD] as NodeJS.ReadableStream, child);
  if (!answer.startsWith('ready')) {
    process.stderr.write(
      `devrun: ${answer.replace(/^error /, '') || `the background supervisor ended before it was ready; see ${logPath}`}\n`,
    );
    return 1;
  }
  child.unref();
  (child.stdio[READY_FD] as NodeJS.ReadableStream & { destroy(): void }).destroy();
  process.stdout.write(
    `devrun: running in the background (pid ${child.pid}); \`devrun status\` shows it, \`devrun stop\` stops it; log: ${logPath}\n`,
  );
  const linger = lingerWarning();
  if (linger) process.stderr.write(`devrun: ${linger}\n`);
  return 0;
}

/** The first line the supervisor writes on its pipe, or '' if it exits (or takes too long) first. */
function readAnswer(pipe: NodeJS.ReadableStream, child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = (answer: string) => {
      clearTimeout(timer);
      resolve(answer.trim());
    };
    const timer = setTimeout(
      () => done(`error the background supervisor did not start within ${READY_TIMEOUT_MS / 1000} s`),
      READY_TIMEOUT_MS,
    );
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) done(text.slice(0, end));
    });
    child.once('exit', () => done(text));
  });
}

/** In the supervisor: tells the waiting foreground how starting went (once), then closes the pipe. */
export function tellForeground(answer: 'ready' | `error ${string}`): void {
  try {
    writeSync(READY_FD, `${answer}\n`);
    closeSync(READY_FD);
  } catch {
    // The foreground already gave up waiting.
  }
}

/**
 * Where systemd-logind kills a user's processes at logout (KillUserProcesses=yes) and lingering is off
 * for this user, a background devrun dies with the SSH session: say how to keep it.
 */
function lingerWarning(): string | undefined {
  try {
    if (!existsSync('/run/systemd/system')) return undefined;
    const conf = readFileSync('/etc/systemd/logind.conf', 'utf8');
    if (!/^\s*KillUserProcesses\s*=\s*(yes|true|1)\s*$/im.test(conf)) return undefined;
    const user = process.env.USER ?? process.env.LOGNAME;
    if (user && existsSync(`/var/lib/systemd/linger/${user}`)) return undefined;
    return 'logind kills your processes when you log out (KillUserProcesses=yes): run `loginctl enable-linger` to keep this devrun';
  } catch {
    return undefined;
  }
}
