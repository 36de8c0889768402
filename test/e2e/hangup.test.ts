import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const RECORD_STATUS = resolve(import.meta.dirname, '../helpers/record-status.mjs');

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

// An app that needs a second to clean up after SIGTERM, and one that leaves a grandchild in its group.
const PROCFILE = [
  `slow: node -e "process.on('SIGTERM', () => setTimeout(() => { require('fs').appendFileSync('drained.log', 'drained\\\\n'); process.exit(0); }, 1000)); console.log('slow-up'); setInterval(() => {}, 1000)"`,
  "tree: sh -c 'sleep 300 & sleep 300' & echo tree-up; sleep 300",
  '',
].join('\n');

interface Ended {
  code: number | null;
  signal: string | null;
  recorder: number;
}

/** Runs devrun in a real terminal under the status recorder, then closes the terminal. */
async function hangUpWhileRunning(args: string[], ready: (screen: string) => boolean) {
  const p = makeProject({ Procfile: PROCFILE });
  project = p;
  term = new Tmux(120, 40, p.dir, p.env);
  const status = join(p.dir, 'status.json');
  term.run(['node', RECORD_STATUS, status, process.execPath, DEVRUN_BIN, ...args].join(' '));
  await term.waitFor(ready);
  await waitFor(() => p.survivors().length >= 6, { what: `every process to start (${p.survivors().length})` });
  // The pane's shell dies of the same hang-up, in its own time: it is not devrun's.
  const shell = term.shellPid();
  const closedAt = Date.now();
  term.hangUp();
  const ended = await waitFor(() => existsSync(status) && (JSON.parse(readFileSync(status, 'utf8')) as Ended), {
    what: 'devrun to end after the hang-up',
    timeoutMs: 15_000,
  });
  // Neither the pane's shell nor the recorder (exiting right after it wrote the status) is devrun's.
  const notDevruns = new Set([shell, ended.recorder]);
  return { p, ended, stopMs: Date.now() - closedAt, survivors: () => p.survivors().filter((pid) => !notDevruns.has(pid)) };
}

describe('a terminal hang-up (tmux kill-session) is one graceful stop', () => {
  it.each([
    ['the dashboard', [], (s: string) => /slow\.1 +running/.test(s) && /tree\.1 +running/.test(s)],
    ['--no-tui in a terminal', ['--no-tui'], (s: string) => s.includes('slow-up') && s.includes('tree-up')],
  ])('%s: every app finishes its SIGTERM handler, nothing is left, devrun dies of SIGHUP (129)', async (_what, args, ready) => {
    const { p, ended, stopMs, survivors } = await hangUpWhileRunning(args, ready);
    // Killed by the re-raised SIGHUP: no crash restoring the dead terminal, and 129 to a shell.
    expect(ended).toMatchObject({ code: null, signal: 'SIGHUP' });
    // The one-second handler ran to the end: the hang-up did not become a "kill now".
    expect(readFileSync(join(p.dir, 'drained.log'), 'utf8')).toBe('drained\n');
    expect(stopMs).toBeGreaterThanOrEqual(900);
    expect(survivors()).toEqual([]);
  });
});
