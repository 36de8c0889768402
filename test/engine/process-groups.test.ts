import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcTable } from '../../src/engine/proc-table.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import { isAlive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

let children: ChildProcess[] = [];
afterEach(() => {
  // Each child leads its own group: kill the groups, so nothing a test started outlives it.
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  children = [];
});

/** A real process group: `sh -c SCRIPT` detached, so its pid is its group id. */
function group(script: string): number {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** Groups whose every member has started: the shell and `members` more. */
const started = (pgid: number, members: number) =>
  waitFor(() => readProcTable().filter((p) => p.pgrp === pgid && p.state !== 'Z').length > members, { what: `group ${pgid} up` });

describe('SystemProcessGroups on real processes', () => {
  it('stops many groups with one /proc scan per tick, whatever their number', async () => {
    let scans = 0;
    const groups = new SystemProcessGroups(undefined, () => {
      scans++;
      return readProcTable();
    });
    // Each group needs ~300 ms after SIGTERM, so several ticks pass while all ten are stopping.
    const pgids = Array.from({ length: 10 }, () => group("trap 'sleep 0.3; exit 0' TERM; sleep 300 & wait"));
    for (const pgid of pgids) await started(pgid, 1);
    const before = scans;
    await Promise.all(pgids.map((pgid) => groups.terminate({ group: pgid }, { timeoutMs: 5000 }).done));
    const ticks = scans - before;
    // Ten separate pollers would scan ten times per tick: some 60 scans over these ~6 ticks.
    expect(ticks).toBeGreaterThan(0);
    expect(ticks).toBeLessThan(25);
    for (const pgid of pgids) expect(groups.isAlive(pgid)).toBe(false);
  });

  it('allows the timeout, then SIGKILL with one escalation notice; killNow needs no wait', async () => {
    const groups = new SystemProcessGroups();
    const stubborn = group("trap '' TERM; sleep 300 & wait");
    await started(stubborn, 1);
    let escalations = 0;
    const began = Date.now();
    await groups.terminate({ group: stubborn }, { timeoutMs: 300, onEscalate: () => escalations++ }).done;
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(escalations).toBe(1);

    const other = group("trap '' TERM; sleep 300 & wait");
    await started(other, 1);
    const stop = groups.terminate({ group: other }, { timeoutMs: 60_000, onEscalate: () => escalations++ });
    stop.killNow();
    await stop.done;
    expect(escalations).toBe(1);
  });

  it('stops single pids that left their group', async () => {
    const groups = new SystemProcessGroups();
    const leader = group('setsid sleep 300 & echo $! > /dev/null; sleep 300 & wait');
    await started(leader, 1);
    const escaped = await waitFor(() => readProcTable().find((p) => p.ppid === leader && p.pgrp !== leader)?.pid, {
      what: 'the setsid child',
    });
    await groups.terminate({ pids: [escaped] }, { timeoutMs: 2000 }).done;
    expect(isAlive(escaped)).toBe(false);
    expect(groups.isAlive(leader)).toBe(true);
  });
});
