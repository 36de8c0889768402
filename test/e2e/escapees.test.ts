import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, startCli } from '../helpers/cli.js';
import { isAlive, killPids, pgidOf } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

/** A process that leaves its group (setsid) and prints the escapee's pid, then keeps running. */
const ESCAPING = 'web: setsid sleep 300 & echo "escaped $!"; exec sleep 301\nworker: exec sleep 302\n';
/** The escapee's pid, once it really left (setsid made it its own group's leader): until then a stop of
 * its group would still reach it. */
async function escapedPid(out: Promise<string>): Promise<number> {
  const pid = Number((await out).match(/escaped (\d+)/)![1]);
  await waitFor(() => pgidOf(pid) === pid, { what: `pid ${pid} to leave its group` });
  return pid;
}

describe('processes that leave their group are found by their run id and stopped', () => {
  it.each([
    ['pipes', '--no-pty'],
    ['terminals', '--pty'],
  ])('on %s: a stop of devrun stops them too and names them', async (_, flag) => {
    const p = use({ Procfile: ESCAPING });
    const run = startCli([flag, '--no-timestamps'], { cwd: p.dir, env: p.env });
    const pid = await escapedPid(run.waitOutput(/escaped \d+/));
    await waitFor(() => isAlive(pid) && p.survivors().length >= 4, { what: 'everything to start' });
    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(130);
    expect(run.stdout()).toMatch(new RegExp(`^web\\.1 +\\| stopped 1 process that left its group: sleep 300 \\(pid ${pid}\\)\\r?$`, 'm'));
    expect(run.stdout()).not.toMatch(/worker\.1 +\| stopped 1 process/);
    expect(p.survivors()).toEqual([]);
  });

  it('a one-off that exits 0 keeps its daemon until devrun ends, which then stops it', async () => {
    const p = use({ Procfile: 'setup: setsid sleep 300 & echo "escaped $!"\nweb: exec sleep 301\n' });
    const run = startCli(['--no-timestamps'], { cwd: p.dir, env: p.env });
    const pid = await escapedPid(run.waitOutput(/escaped \d+/));
    await run.waitOutput('setup.1 | exited with code 0');
    expect(isAlive(pid)).toBe(true);
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(143);
    expect(run.stdout()).toContain(`setup.1 | stopped 1 process that left its group: sleep 300 (pid ${pid})`);
    expect(p.survivors()).toEqual([]);
  });

  it('--keep-escaped leaves them running', async () => {
    const p = use({ Procfile: ESCAPING });
    const run = startCli(['--keep-escaped'], { cwd: p.dir, env: p.env });
    const pid = await escapedPid(run.waitOutput(/escaped \d+/));
    run.child.kill('SIGINT');
    await run.exit;
    try {
      expect(isAlive(pid)).toBe(true);
      expect(run.stdout()).not.toContain('left its group');
    } finally {
      killPids([pid]);
    }
  });

  it('after devrun is SIGKILLed, the next start stops what the dead run left outside its groups', async () => {
    const p = use({ Procfile: ESCAPING });
    const first = startCli([], { cwd: p.dir, env: p.env });
    const pid = await escapedPid(first.waitOutput(/escaped \d+/));
    await waitFor(() => p.survivors().length >= 4, { what: 'everything to start' });
    first.child.kill('SIGKILL');
    await first.exit;
    expect(isAlive(pid)).toBe(true);

    const next = startCli(['worker'], { cwd: p.dir, env: p.env });
    await next.waitOutput('worker.1 | started');
    expect(next.stderr()).toMatch(
      /a previous devrun was killed and left web\.1 \(group \d+\), worker\.1 \(group \d+\) running; stopping them/,
    );
    expect(next.stderr()).toContain(`left 1 process outside its groups: sleep 300 (pid ${pid}); stopping them`);
    next.child.kill('SIGTERM');
    await next.exit;
    expect(isAlive(pid)).toBe(false);
  });
});
