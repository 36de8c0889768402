// One dashboard (devrun or mprocs) watched through `ssh -tt` over the shaped link, in a 120×40 tmux window,
// during a flood of writers that run until told to stop: key latency, bytes on the link, catch-up after the flood.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { killMarked } from './cleanup.js';
import { DONE_KEY, MARK, MARK_KEY, TAG_KEY } from './config.js';
import { doneCount, freshDoneDir, readDone, shq } from './fixtures.js';
import type { ShapedNamespace } from './netns.js';
import { pidsWithEnv } from './procfs.js';
import type { LocalSshd } from './sshd.js';
import { TuiRun, waitGone } from './tui-run.js';
import { now, pollUntil, sleep } from './wait.js';

/** The flood's and the probe's sizes, in one place. */
export const SSH_FLOOD = {
  writers: ['a', 'b', 'c', 'd'],
  /** Presses start once the screen shows writer a past this line (the flood is well under way). */
  pressAtLine: 25_000,
  presses: 10,
  /** A press whose effect has not shown by then ends the series (counted at this value). */
  keyTimeoutMs: 20_000,
  /** Pause after an effect shows before the next press, so presses land mid-stream rather than right after a frame. */
  pressGapMs: 300,
  /** How long the screen may take to show the last line once the flood stopped before we give up. */
  catchUpTimeoutMs: 60_000,
};

export interface SshSubject {
  name: string;
  /** Shell command run by the remote login shell, in the session's folder. */
  remote(dir: string): string;
  /** Recognises the dashboard's own process among those carrying the session's tag. */
  isProcess(pid: number): boolean;
}

export interface SshSession {
  /** One per press that took effect, plus keyTimeoutMs for one that did not. */
  keyMs: number[];
  keysTimedOut: number;
  /** Bytes through the qdisc between the first press and the flood's stop. */
  floodBytes: number;
  floodSeconds: number;
  /** Final counter of the selected writer minus what the screen showed when the flood stopped. */
  linesBehind: number;
  /** Flood stopped (last writer done) → the screen shows the selected writer's last line; undefined if never. */
  catchUpS?: number;
  code: number;
}

const LINE = /(?:^|[^\w.])([a-z]) (\d{8}) x/gm;

/** The highest counter shown for each writer id on the screen. */
export function shownCounters(screen: string): Map<string, number> {
  const shown = new Map<string, number>();
  for (const m of screen.matchAll(LINE)) shown.set(m[1] as string, Math.max(shown.get(m[1] as string) ?? 0, Number(m[2])));
  return shown;
}

/** The selection's effect: the output pane shows only `id`'s lines. */
const showsOnly = (id: string) => (screen: string) => {
  const shown = shownCounters(screen);
  return shown.size === 1 && shown.has(id);
};

interface Live {
  run: TuiRun;
  netns: ShapedNamespace;
  pid: number;
  doneDir: string;
  stopFile: string;
}

/** j/k alternately (a → b → a …): each press timed until the pane shows only the newly selected writer. */
async function pressKeys(live: Live, session: SshSession): Promise<string> {
  let selected = 'a';
  for (let i = 0; i < SSH_FLOOD.presses; i++) {
    const [key, target] = selected === 'a' ? ['j', 'b'] : ['k', 'a'];
    await sleep(SSH_FLOOD.pressGapMs);
    live.run.tmux.keys(key as string);
    const pressed = now();
    selected = target as string;
    try {
      const { at } = await live.run.tmux.waitFor(showsOnly(selected), {
        timeoutMs: SSH_FLOOD.keyTimeoutMs,
        intervalMs: 10,
        what: `only ${selected}'s lines after ${key}`,
      });
      session.keyMs.push(at - pressed);
    } catch {
      // The next press would toggle back to what the stale screen shows and "take effect" at once: stop here.
      session.keyMs.push(SSH_FLOOD.keyTimeoutMs);
      session.keysTimedOut++;
      break;
    }
  }
  return selected;
}

/** Stops the flood, then waits for the selected writer's last line on the screen. */
async function stopAndCatchUp(live: Live, selected: string, session: SshSession): Promise<void> {
  writeFileSync(live.stopFile, '');
  await pollUntil(() => doneCount(live.doneDir) === SSH_FLOOD.writers.length, {
    timeoutMs: 30_000,
    intervalMs: 10,
    what: 'the writers to stop',
  });
  const done = readDone(live.doneDir);
  const stoppedAt = Math.max(...done.map((d) => d.end));
  const last = done.find((d) => d.id === selected)?.n ?? Number.NaN;
  session.linesBehind = last - (shownCounters(live.run.tmux.screen()).get(selected) ?? 0);
  try {
    const { at } = await live.run.tmux.waitFor((s) => shownCounters(s).get(selected) === last, {
      timeoutMs: SSH_FLOOD.catchUpTimeoutMs,
      intervalMs: 10,
      what: `${selected}'s last line (${last})`,
    });
    session.catchUpS = Math.max(0, at - stoppedAt) / 1000;
  } catch {
    // never caught up within the timeout: catchUpS stays undefined
  }
}

export async function runSshSession(options: {
  subject: SshSubject;
  sshd: LocalSshd;
  netns: ShapedNamespace;
  dir: string;
}): Promise<SshSession> {
  const { subject, sshd, netns, dir } = options;
  const doneDir = freshDoneDir(dir, 'done');
  const stopFile = path.join(dir, 'stop');
  // sshd gives the login a clean environment: the remote side sets the bench's mark and the session's tag itself.
  const tag = `ssh-${path.basename(dir)}`;
  const env = [`${MARK_KEY}=${MARK}`, `${TAG_KEY}=${tag}`, `${DONE_KEY}=${doneDir}`, `PATH=${process.env.PATH ?? ''}`];
  if (process.env.LANG) env.push(`LANG=${process.env.LANG}`);
  const remote = `cd ${shq(dir)} && exec env -u CI -u FORCE_COLOR ${env.map(shq).join(' ')} ${subject.remote(dir)}`;
  const run = await TuiRun.open({ cwd: dir, command: sshd.clientArgv(remote).map(shq).join(' ') });
  const session: SshSession = { keyMs: [], keysTimedOut: 0, floodBytes: 0, floodSeconds: 0, linesBehind: Number.NaN, code: -1 };
  try {
    run.launch();
    const pid = await pollUntil(() => pidsWithEnv(TAG_KEY, tag).find(subject.isProcess), {
      timeoutMs: 30_000,
      what: `${subject.name} to start over ssh`,
    });
    const live: Live = { run, netns, pid, doneDir, stopFile };
    await run.tmux.waitFor((s) => (shownCounters(s).get('a') ?? 0) >= SSH_FLOOD.pressAtLine, {
      timeoutMs: 60_000,
      what: `the screen to show line ${SSH_FLOOD.pressAtLine} of a`,
    });
    const before = netns.sent().bytes;
    const t = now();
    const selected = await pressKeys(live, session);
    session.floodBytes = netns.sent().bytes - before;
    session.floodSeconds = (now() - t) / 1000;
    await stopAndCatchUp(live, selected, session);
    run.tmux.keys('q');
    await waitGone(pid, 30_000, 20);
    session.code = await run.exitCode();
    return session;
  } finally {
    writeFileSync(stopFile, '');
    run.close();
    killMarked(TAG_KEY, tag);
  }
}
