import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli, startCli } from '../helpers/cli.js';
import { isAlive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

// Each entry leaves grandchildren; `stubborn` ignores SIGTERM so stopping it needs the SIGKILL escalation.
const TREE = [
  "tree: sh -c 'sleep 300 & sleep 300' & echo ready; sleep 300",
  'npmlike: sh -c "sh -c \'sleep 300\'"',
  "stubborn: trap '' TERM; sleep 300 & wait",
  '',
].join('\n');

describe('no orphan, whatever way devrun ends', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops every process and grandchild, status %i', async (signal, expected) => {
    const p = use({ Procfile: TREE });
    const run = startCli(['-t', '1'], { cwd: p.dir, env: p.env });
    await run.waitOutput('tree.1     | ready');
    // sh + 2 sleeps + sh + sleep (tree), sh + sh + sh + sleep (npmlike), sh + sleep (stubborn)
    await waitFor(() => p.survivors().length >= 9, { what: 'the whole tree to start' });
    run.child.kill(signal);
    const status = await run.exit;
    // As a shell reports it: after SIGHUP devrun dies of the re-raised signal, which a shell shows as 129.
    expect(status.code ?? 128 + constants.signals[status.signal!]).toBe(expected);
    if (signal === 'SIGHUP') expect(status.signal).toBe('SIGHUP');
    expect(run.stdout()).toContain(`${signal} received, stopping all processes`);
    expect(run.stdout()).toContain('stubborn.1 | did not stop within 1s of SIGTERM: sent SIGKILL');
    expect(p.survivors()).toEqual([]);
  });

  it('on terminals, SIGKILL of devrun hangs them up: no child is left', async () => {
    const p = use({ Procfile: "tree: sh -c 'sleep 300 & sleep 300' & echo ready; sleep 300\nplain: sleep 300\n" });
    const run = startCli(['--pty'], { cwd: p.dir, env: p.env });
    await run.waitOutput('ready');
    await waitFor(() => p.survivors().length >= 5, { what: 'the tree to start' });
    run.child.kill('SIGKILL');
    await run.exit;
    await waitFor(() => p.survivors().length === 0, { what: 'every child gone after the hang-up', timeoutMs: 5000 });
  });

  it('on pipes, after devrun is SIGKILLed, the next run reports the groups it left and stops them', async () => {
    const p = use({ Procfile: "left: sh -c 'sleep 300 & sleep 300' & echo ready; sleep 300\n" });
    // Pipes (the default when devrun's output is not a terminal) do not hang up: the children
    // outlive a SIGKILLed devrun until the next run reaps them.
    const first = startCli([], { cwd: p.dir, env: p.env });
    await first.waitOutput('ready');
    await waitFor(() => p.survivors().length >= 4, { what: 'the tree to start' });
    first.child.kill('SIGKILL');
    await first.exit;
    const leftBehind = p.survivors();
    expect(leftBehind.length).toBeGreaterThanOrEqual(4);

    const second = await runCli(['check'], { cwd: p.dir, env: p.env });
    expect(second.code).toBe(0);
    expect(p.survivors()).toEqual(leftBehind);

    const third = startCli([], { cwd: p.dir, env: p.env });
    await third.waitOutput('ready');
    expect(third.stderr()).toMatch(/^devrun: a previous devrun was killed and left left\.1 \(group \d+\) running; stopping them$/m);
    expect(leftBehind.filter(isAlive)).toEqual([]);
    third.child.kill('SIGTERM');
    expect((await third.exit).code).toBe(143);
    expect(p.survivors()).toEqual([]);
  });

  it('the pid file is gone after a clean exit', async () => {
    const p = use({ Procfile: 'once: true\n' });
    expect((await runCli([], { cwd: p.dir, env: p.env })).code).toBe(0);
    expect(readdirSync(`${p.dir}/.devrun`).filter((f) => f.startsWith('pids-'))).toEqual([]);
  });

  it('reaps what a SIGKILLed devrun left even while its pid is a zombie (a parent that never reaps)', async () => {
    const p = use({ Procfile: 'left: echo ready; exec sleep 300\n' });
    // `exec sleep` replaces the shell: devrun's parent becomes a process that never waits for it.
    const holder = startCli([], { cwd: p.dir, env: p.env, wrap: ['sh', '-c', '"$@" > /dev/null & echo "devrun=$!"; exec sleep 60', 'sh'] });
    const pid = Number((await holder.waitOutput(/devrun=\d+/)).match(/devrun=(\d+)/)![1]);
    const pidsJson = () => readdirSync(join(p.dir, '.devrun')).find((f) => /^pids-\w+\.json$/.test(f));
    // Recorded in the pid file (a child seen before that is reaped too, by its run id, with other words).
    const recorded = () => {
      const file = existsSync(join(p.dir, '.devrun')) && pidsJson();
      return file && readFileSync(join(p.dir, '.devrun', file), 'utf8').includes('"name":"left.1"');
    };
    await waitFor(recorded, { what: 'the child to start and be recorded' });
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), { what: 'devrun to die (a zombie counts as dead here)' });
    const next = startCli([], { cwd: p.dir, env: p.env });
    await next.waitOutput('ready');
    expect(next.stderr()).toMatch(/left left\.1 \(group \d+\) running; stopping them/);
    next.child.kill('SIGTERM');
    await next.exit;
    holder.child.kill('SIGKILL');
  });
});
