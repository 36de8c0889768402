import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hasProcFs } from '../../src/engine/proc-table.js';
import { childrenOf, treeOf, treeRound } from '../../src/engine/proc-tree.js';
import { killPids } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A node child that starts, from its main thread, `sh` with two sleeps (one in a session of its own,
 * via setsid), and from a worker thread one more sleep: a fork listed under the worker's task only.
 */
const PARENT = `
const { spawn } = require('node:child_process');
const { Worker } = require('node:worker_threads');
spawn('sh', ['-c', 'sleep 301 & setsid sleep 302 & wait'], { stdio: 'ignore' });
new Worker("require('node:child_process').spawn('sleep', ['303'], { stdio: 'ignore' }); setInterval(() => {}, 1000);", { eval: true });
setInterval(() => {}, 1000);
`;

/** Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, ...]. */
const statFields = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');

describe.skipIf(!hasProcFs)('process trees walked through /proc/PID/task/*/children', () => {
  let started: ChildProcess[] = [];
  let found: number[] = [];
  afterEach(() => {
    killPids(found);
    for (const child of started) child.kill('SIGKILL');
    started = [];
    found = [];
  });

  it('finds every descendant: a thread’s child and one in another session; nothing else', async () => {
    const parent = spawn(process.execPath, ['-e', PARENT], { stdio: 'ignore' });
    const bystander = spawn('sleep', ['304'], { stdio: 'ignore' });
    started = [parent, bystander];
    const leader = parent.pid as number;
    const commands = () => treeOf(leader).map(commandOf).sort();
    found = await waitFor(() => (treeOf(leader).length >= 5 ? treeOf(leader) : undefined), { what: 'the tree of 5' });

    expect(commands()).toEqual(
      [`${process.execPath} -e ${PARENT}`, 'sh -c sleep 301 & setsid sleep 302 & wait', 'sleep 301', 'sleep 302', 'sleep 303'].sort(),
    );
    expect(found).not.toContain(bystander.pid);
    const byCommand = new Map(found.map((pid) => [commandOf(pid), pid]));
    // sleep 303 is the worker thread's child: the main thread's children file does not list it.
    const mainThreadChildren = readFileSync(`/proc/${leader}/task/${leader}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    expect(mainThreadChildren).not.toContain(byCommand.get('sleep 303'));
    expect(childrenOf(leader)).toContain(byCommand.get('sleep 303'));
    // sleep 302 left the session (and group) of its parent sh.
    const sh = byCommand.get('sh -c sleep 301 & setsid sleep 302 & wait') as number;
    expect(statFields(byCommand.get('sleep 302') as number)[3]).not.toBe(statFields(sh)[3]);
  });

  it('is just the leader when it has no children, and empty children once it is gone', async () => {
    const lone = spawn('sleep', ['305'], { stdio: 'ignore' });
    started = [lone];
    const pid = lone.pid as number;
    expect(treeOf(pid)).toEqual([pid]);
    lone.kill('SIGKILL');
    await new Promise((resolve) => lone.once('exit', resolve));
    expect(childrenOf(pid)).toEqual([]);
  });
});

describe('a round of trees', () => {
  it('walks each leader once, however many readers ask', () => {
    const walked: number[] = [];
    const trees = treeRound((leader) => {
      walked.push(leader);
      return [leader, leader + 1];
    });
    expect(trees(10)).toEqual([10, 11]);
    expect(trees(20)).toEqual([20, 21]);
    expect(trees(10)).toEqual([10, 11]);
    expect(walked).toEqual([10, 20]);
  });
});
