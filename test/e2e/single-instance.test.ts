import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

describe('one devrun per project folder', () => {
  /** Starts `n` devruns that wait at a barrier (a file appearing), then all start within a few ms. */
  async function startTogether(p: NonNullable<typeof project>, n: number) {
    rmSync(join(p.dir, 'go'), { force: true });
    const barrier = ['sh', '-c', 'while [ ! -e go ]; do sleep 0.005; done; exec "$@"', 'sh'];
    const runs = Array.from({ length: n }, () => startCli([], { cwd: p.dir, env: p.env, wrap: barrier }));
    await waitFor(() => p.survivors().length === n, { what: `all ${n} at the barrier` });
    writeFileSync(join(p.dir, 'go'), '');
    let exited = 0;
    for (const run of runs) void run.exit.then(() => exited++);
    await waitFor(() => exited === n - 1, { what: `${n - 1} of ${n} to refuse (${exited} did)`, timeoutMs: 30_000 });
    const running = runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    expect(running).toHaveLength(1);
    for (const refused of runs.filter((r) => r !== running[0])) {
      expect(refused.child.exitCode).toBe(1);
      expect(refused.stderr()).toMatch(/^devrun: already running in \S+( \(pid \d+\))?; stop it first\n$/);
      expect(refused.stdout()).toBe('');
    }
    const winner = running[0]!;
    await winner.waitOutput('web up');
    // Only the winner's process runs: the refused ones started nothing.
    await waitFor(() => p.survivors().length === 2, { what: 'devrun and its one child' });
    winner.child.kill('SIGTERM');
    expect((await winner.exit).code).toBe(143);
  }

  it('20 devruns started at the same instant: exactly one runs, the others refuse in one line', async () => {
    const p = makeProject({ Procfile: 'web: echo "web up"; exec sleep 300\n' });
    project = p;
    await startTogether(p, 20);
  });

  it('two at the same instant, ten times over: never both', async () => {
    // On two cores 20 node processes start one after another; two really start together (the pid file
    // check alone let both run in about half of these rounds).
    const p = makeProject({ Procfile: 'web: echo "web up"; exec sleep 300\n' });
    project = p;
    for (let round = 0; round < 10; round++) await startTogether(p, 2);
  });

  it('the lock dies with a SIGKILLed devrun: the next one starts (and reaps what it left)', async () => {
    const p = makeProject({ Procfile: 'web: echo "web up"; exec sleep 300\n' });
    project = p;
    const first = startCli([], { cwd: p.dir, env: p.env });
    await first.waitOutput('web up');
    first.child.kill('SIGKILL');
    await first.exit;
    const second = startCli([], { cwd: p.dir, env: p.env });
    await second.waitOutput('web up');
    expect(second.stderr()).toMatch(/a previous devrun was killed and left web\.1/);
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(143);
  });
});
