import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, makeProject, startCli } from '../helpers/cli.js';
import { isAlive, killPids } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

// A terminal hangs up (SIGHUP to its processes) only when the last descriptor of its master closes.
// A child that inherited the masters of other terminals keeps them open: if it survives the hang-up
// (it ignores SIGHUP), the terminals it holds never hang up and their processes outlive devrun.

let project: ReturnType<typeof makeProject> | undefined;
let run: CliRun | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
/** devrun headless (piped stdio), its children on terminals. */
const start = (p: NonNullable<typeof project>) => (run = startCli(['--no-tui', '--pty'], { cwd: p.dir, env: p.env }));
afterEach(() => {
  run?.child.kill('SIGKILL');
  project?.cleanup();
  project = undefined;
  run = undefined;
});

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');

/** Where each open descriptor of a process points (/dev/ptmx for a terminal master). */
function fdTargets(pid: number): string[] {
  const targets: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      targets.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return targets;
}

/** What a process does with SIGHUP, from the SigIgn and SigCgt masks of /proc/PID/status. */
function hupDisposition(pid: number): 'default' | 'ignored' | 'caught' {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mask = (field: string) => BigInt(`0x${status.match(new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm'))![1]}`);
  if (mask('SigIgn') & 1n) return 'ignored';
  if (mask('SigCgt') & 1n) return 'caught';
  return 'default';
}

/** The children of the devrun under test (its own pid excluded), once `ready` says they all run their programs. */
async function childrenOnceRunning(p: NonNullable<typeof project>, r: CliRun, ready: (cmds: string[]) => boolean): Promise<number[]> {
  return waitFor(
    () => {
      try {
        const pids = p.survivors().filter((pid) => pid !== r.child.pid);
        return ready(pids.map(cmdline)) && pids;
      } catch {
        return false; // a process ended while being read
      }
    },
    { what: `the children to start; output:\n${r.stdout()}${r.stderr()}` },
  );
}

/** Each child's descriptors: no terminal master, and at most one terminal (its own). */
function expectNoForeignTerminals(pids: number[]): void {
  const seen = pids.map((pid) => {
    const targets = fdTargets(pid);
    return {
      pid,
      command: cmdline(pid),
      masters: targets.filter((t) => t === '/dev/ptmx').length,
      terminals: [...new Set(targets.filter((t) => t.startsWith('/dev/pts/')))],
    };
  });
  for (const child of seen)
    expect(child, `${child.command} (pid ${child.pid})`).toMatchObject({ masters: 0, terminals: [expect.any(String)] });
}

const describeProcess = (pid: number) => {
  try {
    return `${pid} ${cmdline(pid)}`;
  } catch {
    return `${pid}`;
  }
};

describe('terminals hang up independently (no child holds another terminal)', () => {
  it('no PTY child holds the master of another terminal', async () => {
    const p = use({ Procfile: 'a: exec sleep 300\nb: exec sleep 301\nc: exec sleep 302\n' });
    const r = start(p);
    const pids = await childrenOnceRunning(p, r, (cmds) => ['sleep 300', 'sleep 301', 'sleep 302'].every((c) => cmds.includes(c)));
    expect(pids).toHaveLength(3);
    expectNoForeignTerminals(pids);
  });

  it('a restarted child does not inherit the masters of terminals opened after its first run', async () => {
    // The first run exits at once, leaving free descriptor numbers below the other masters: the
    // restart's terminal lands there.
    const p = use({
      Procfile: 'first: test -e ran && exec sleep 299; touch ran; exit 1\na: exec sleep 300\nb: exec sleep 301\nc: exec sleep 302\n',
    });
    const r = start(p);
    const pids = await childrenOnceRunning(p, r, (cmds) =>
      ['sleep 299', 'sleep 300', 'sleep 301', 'sleep 302'].every((c) => cmds.includes(c)),
    );
    expect(existsSync(join(p.dir, 'ran'))).toBe(true);
    expect(pids).toHaveLength(4);
    expectNoForeignTerminals(pids);
  });

  it('after SIGKILL of devrun, every child that does not ignore or handle SIGHUP is gone within 2s', async () => {
    // The SIGHUP-ignoring entry is last: with inherited masters it would hold every other terminal open.
    const p = use({
      Procfile: [
        'a: exec sleep 300',
        'b: sleep 301',
        'c: node -e "setInterval(() => {}, 1000)"',
        'd: exec sleep 302',
        "deaf: trap '' HUP; exec sleep 303",
        '',
      ].join('\n'),
    });
    const r = start(p);
    const pids = await childrenOnceRunning(
      p,
      r,
      (cmds) =>
        ['sleep 300', 'sleep 301', 'sleep 302', 'sleep 303'].every((c) => cmds.includes(c)) && cmds.some((c) => c.startsWith('node -e')),
    );
    const deaf = pids.filter((pid) => hupDisposition(pid) === 'ignored');
    const mortal = pids.filter((pid) => hupDisposition(pid) === 'default');
    expect(deaf.map(cmdline)).toEqual(['sleep 303']);
    expect(mortal.length).toBeGreaterThanOrEqual(4); // a, b (exec'd by the wrapper), c, d

    r.child.kill('SIGKILL');
    await r.exit;
    try {
      await waitFor(() => mortal.every((pid) => !isAlive(pid)), { timeoutMs: 2000, what: 'the hang-up to end every child' }).catch(
        () => {},
      );
      expect(mortal.filter(isAlive).map(describeProcess), 'alive 2s after devrun was killed').toEqual([]);
      // Ignoring SIGHUP is the one way to outlive the hang-up.
      expect(deaf.filter(isAlive)).toEqual(deaf);
    } finally {
      killPids(deaf);
    }
  });
});
