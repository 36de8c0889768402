// Workload: devrun's dashboard (and mprocs) watched through a real ssh client and sshd over a slow link
// (a network namespace whose loopback is shaped by tc tbf) during a 4-process flood: key latency, bytes
// on the link, and how long the screen takes to show the last line once the flood stops.
import { accessSync, constants } from 'node:fs';
import { RUNS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { devrunCommand } from '../lib/devrun.js';
import { floodUntilCommand, makeDir, shq, writeMprocsConfig, writeProcfile } from '../lib/fixtures.js';
import { ShapedNamespace } from '../lib/netns.js';
import { onPath } from '../lib/peers.js';
import { exeName } from '../lib/procfs.js';
import { median, percentile, type Results, withUnit } from '../lib/results.js';
import { runSshSession, SSH_FLOOD, type SshSession, type SshSubject } from '../lib/ssh-session.js';
import { LocalSshd, SSHD } from '../lib/sshd.js';
import { isDevrunProcess } from '../lib/tui-run.js';

const W = 'ssh-link';

interface Rate {
  label: string;
  /** tc's spelling. */
  tc: string;
  bitsPerS: number;
  /** Key → effect targets for devrun at this rate, ms. */
  keyMedianMs: number;
  keyP95Ms?: number;
}

const RATES: Rate[] = [
  { label: '256 kbit/s', tc: '256kbit', bitsPerS: 256_000, keyMedianMs: 300, keyP95Ms: 500 },
  { label: '1 Mbit/s', tc: '1mbit', bitsPerS: 1_000_000, keyMedianMs: 150 },
];
/** Once the flood stops, the screen shows the last line within this many seconds. */
const CATCH_UP_TARGET_S = 1;
const TOOLS = ['ip', 'tc', 'ss', 'ssh', 'ssh-keygen', 'tmux'];

/** Why the workload cannot run here, or undefined. */
function cannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, tc, sshd)';
  const missing = TOOLS.filter((t) => !onPath(t));
  try {
    accessSync(SSHD, constants.X_OK);
  } catch {
    missing.push(`${SSHD} (openssh-server)`);
  }
  return missing.length ? `missing ${missing.join(', ')}` : undefined;
}

function subjects(mprocs: string | undefined): SshSubject[] {
  const list: SshSubject[] = [
    {
      name: 'devrun',
      remote: (dir) => devrunCommand(`${dir}/Procfile`),
      isProcess: isDevrunProcess,
    },
  ];
  if (mprocs)
    list.push({
      name: 'mprocs',
      remote: (dir) => `${shq(mprocs)} --config ${shq(`${dir}/mprocs.yaml`)}`,
      isProcess: (pid) => exeName(pid) === 'mprocs',
    });
  return list;
}

/** A folder per session: its Procfile and mprocs.yaml name that session's stop file. */
function sessionDir(label: string): string {
  const dir = makeDir(label);
  const entries = SSH_FLOOD.writers.map((id) => ({ name: id, command: floodUntilCommand(id, `${dir}/stop`) }));
  writeProcfile(dir, entries);
  writeMprocsConfig(dir, entries);
  return dir;
}

function skip(results: Results, why: string): void {
  results.add({ workload: W, subject: '-', metric: 'ssh link', unit: '', values: [], text: 'skipped', note: why });
  for (const rate of RATES) results.verdict({ target: `keys over ssh at ${rate.label}`, value: 'not measured', met: undefined, note: why });
}

function report(results: Results, rate: Rate, subject: string, sessions: SshSession[]): void {
  const add = (metric: string, unit: string, values: number[], note?: string) =>
    results.add({ workload: W, subject: `${subject} @ ${rate.label}`, metric, unit, values, ...(note && { note }) });
  const timedOut = sessions.reduce((n, s) => n + s.keysTimedOut, 0);
  const presses = sessions.reduce((n, s) => n + s.keyMs.length, 0);
  const note = `${presses - timedOut}/${SSH_FLOOD.presses * sessions.length} presses took effect${timedOut ? `; ${timedOut} not within ${SSH_FLOOD.keyTimeoutMs / 1000} s (series stopped)` : ''}`;
  add(
    'key → effect median',
    'ms',
    sessions.map((s) => median(s.keyMs)),
    note,
  );
  add(
    'key → effect p95',
    'ms',
    sessions.map((s) => percentile(s.keyMs, 95)),
  );
  add(
    'key → effect max',
    'ms',
    sessions.map((s) => Math.max(...s.keyMs)),
  );
  add(
    'link bytes during presses',
    'KB',
    sessions.map((s) => s.floodBytes / 1024),
  );
  add(
    'link rate during presses',
    'KB/s',
    sessions.map((s) => s.floodBytes / 1024 / s.floodSeconds),
    `the link carries ${withUnit(rate.bitsPerS / 8 / 1024, 'KB/s')}`,
  );
  add(
    'lines behind when the flood stopped',
    'lines',
    sessions.map((s) => s.linesBehind),
  );
  const never = sessions.filter((s) => s.catchUpS === undefined).length;
  add(
    'flood stop → last line shown',
    's',
    sessions.flatMap((s) => (s.catchUpS === undefined ? [] : [s.catchUpS])),
    never ? `${never} run(s) not within ${SSH_FLOOD.catchUpTimeoutMs / 1000} s` : undefined,
  );
  for (const [i, s] of sessions.entries())
    if (s.code !== 0) results.observe(`${W} ${subject} @ ${rate.label} run ${i + 1}: exit ${s.code}`);
}

function verdicts(results: Results, rate: Rate, devrun: SshSession[], mprocs: SshSession[]): void {
  const med = median(devrun.map((s) => median(s.keyMs)));
  const p95 = median(devrun.map((s) => percentile(s.keyMs, 95)));
  const max = Math.max(...devrun.map((s) => Math.max(...s.keyMs)));
  const mprocsNote = mprocs.length ? `mprocs: median ${withUnit(median(mprocs.map((s) => median(s.keyMs))), 'ms')}` : undefined;
  results.verdict({
    target: `key effect over ssh at ${rate.label}: median ≤ ${rate.keyMedianMs} ms${rate.keyP95Ms ? `, p95 ≤ ${rate.keyP95Ms} ms` : ''}`,
    value: `median ${withUnit(med, 'ms')}, p95 ${withUnit(p95, 'ms')}, max ${withUnit(max, 'ms')}`,
    met: med <= rate.keyMedianMs && (rate.keyP95Ms === undefined || p95 <= rate.keyP95Ms),
    ...(mprocsNote && { note: mprocsNote }),
  });
  const catchUp = devrun.map((s) => s.catchUpS ?? Number.POSITIVE_INFINITY);
  const worst = Math.max(...catchUp);
  results.verdict({
    target: `over ssh at ${rate.label}, the last line shows ≤ ${CATCH_UP_TARGET_S} s after the flood stops`,
    value: Number.isFinite(worst) ? `worst ${withUnit(worst, 's')}` : `not within ${SSH_FLOOD.catchUpTimeoutMs / 1000} s`,
    met: worst <= CATCH_UP_TARGET_S,
  });
}

async function measure(results: Results, mprocs: string | undefined, netns: ShapedNamespace): Promise<void> {
  const sshd = await LocalSshd.start(netns, makeDir('ssh-keys'));
  try {
    for (const rate of RATES) {
      netns.shape(rate.tc);
      const runs = new Map<string, SshSession[]>();
      for (let rep = 0; rep < RUNS; rep++) {
        for (const subject of subjects(mprocs)) {
          const dir = sessionDir(`ssh-${subject.name}-${rate.tc}-${rep}`);
          const s = await runSshSession({ subject, sshd, netns, dir });
          runs.set(subject.name, [...(runs.get(subject.name) ?? []), s]);
          process.stderr.write(
            `  ${subject.name} @ ${rate.label} run ${rep + 1}: keys ${s.keyMs.map((k) => k.toFixed(0)).join(' ')} ms, ` +
              `${(s.floodBytes / 1024 / s.floodSeconds).toFixed(1)} KB/s, catch-up ${s.catchUpS?.toFixed(2) ?? 'never'} s\n`,
          );
        }
      }
      for (const [name, sessions] of runs) report(results, rate, name, sessions);
      verdicts(results, rate, runs.get('devrun') ?? [], runs.get('mprocs') ?? []);
    }
  } finally {
    await sshd.stop();
  }
}

export const sshLink: Workload = {
  name: W,
  needs: { mprocs: true },
  // Worst case per session: ~4 min (every wait to its deadline); typical well under one.
  budgetMs: 60_000 + RUNS * RATES.length * 2 * 240_000,
  notes: [
    `${W}: sshd (Debian's openssh-server, throwaway host and client keys, StrictModes no, no PAM) on 127.0.0.1 in a private network namespace whose loopback (mtu 1500) is shaped with \`tc qdisc replace dev lo root tbf rate RATE burst 16kb latency 500ms\`; ` +
      '`ssh -tt` runs inside the namespace in a 120×40 tmux window and starts the dashboard remotely (CI unset) on 4 writers that flood at full speed until a stop file appears. ' +
      `Once the screen shows line ${SSH_FLOOD.pressAtLine.toLocaleString('en')} of a, j/k are pressed alternately ${SSH_FLOOD.presses} times (${SSH_FLOOD.pressGapMs} ms after each effect shows); ` +
      `a press's effect is the ssh client's pane (capture-pane every 10 ms) showing only the newly selected writer's lines; a press not in effect within ${SSH_FLOOD.keyTimeoutMs / 1000} s counts as that and ends the series. ` +
      "p95 is nearest-rank (of 10 presses: the largest). Link bytes = the qdisc's Sent counter (both directions) over the presses. " +
      "Then the stop file is written; lines behind = the selected writer's last counter minus the one on screen once all writers stopped; catch-up = last writer done → the screen shows that last line. " +
      'Without root, ip/tc/ssh/sshd the workload reports skipped; the token-bucket TCP relay fallback (for hosts without network namespaces) is not built.',
  ],
  async run({ results, peers }: Context) {
    const why = cannotRun();
    if (why) return skip(results, why);
    let netns: ShapedNamespace;
    try {
      netns = new ShapedNamespace();
    } catch (error) {
      return skip(results, `ip netns not permitted: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!peers.mprocs)
      results.add({
        workload: W,
        subject: 'mprocs',
        metric: 'ssh link',
        unit: '',
        values: [],
        text: 'skipped',
        note: peers.skipped.get('mprocs') ?? '',
      });
    try {
      await measure(results, peers.mprocs, netns);
    } finally {
      netns.remove();
    }
  },
};
