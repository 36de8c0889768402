import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let holder: ChildProcess | undefined;
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
  project?.cleanup();
  project = undefined;
});

/** What an earlier devrun run left behind: a server on a port, with that run's marks in its environment. */
async function leftoverServer(env: Record<string, string>): Promise<number> {
  const script = "const s = require('net').createServer().listen(0, () => console.log(s.address().port))";
  holder = spawn(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, DEVRUN_RUN_ID: 'an-earlier-run', PS: 'web.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  holder.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return Number(await waitFor(() => out.includes('\n') && out.trim(), { what: 'the leftover server to listen' }));
}

describe('a port already taken', () => {
  it('names the holder at start, and again under the "address already in use" it causes', async () => {
    project = makeProject({
      Procfile: `web: node -e "require('net').createServer().listen(process.env.PORT, () => console.log('up'))"\n`,
    });
    const port = await leftoverServer(project.env);
    const pid = holder!.pid;
    const { code, stdout } = await runCli(['-p', String(port), '--restart', 'never', '--no-timestamps'], {
      cwd: project.dir,
      env: project.env,
    });
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const who = `pid ${pid} \\(\\S*node -e .*\\), web\\.1 of an earlier devrun run`;
    expect(lines[0]).toMatch(new RegExp(`^web\\.1 +\\| PORT ${port} is already in use by ${who}$`));
    const error = lines.findIndex((l) => l.includes('EADDRINUSE: address already in use'));
    const hint = lines.findIndex((l) => new RegExp(`^web\\.1 +\\| port ${port} is in use by ${who}$`).test(l));
    expect(error).toBeGreaterThan(0);
    expect(hint).toBeGreaterThan(error);
    expect(stdout).not.toContain('| up');
  });

  it('a free PORT: no hint', async () => {
    project = makeProject({ Procfile: 'web: echo "not a server"\n' });
    const { code, stdout } = await runCli(['--restart', 'never', '--no-timestamps', '-p', '1'], { cwd: project.dir, env: project.env });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/in use/);
  });
});
