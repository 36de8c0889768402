import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/cli.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const use = () => {
  project = makeProject({ '.env': 'GREETING=hi from env\n' });
  return project;
};

describe('devrun run', () => {
  it('one argument is a shell line, as in a Procfile: variables from .env, &&, its exit code', async () => {
    const p = use();
    const ran = await runCli(['run', 'echo "$GREETING" && exit 4'], { cwd: p.dir, env: p.env });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe('hi from env\n');
    expect(ran.code).toBe(4);
  });

  it('several arguments are run as given: no shell expands them', async () => {
    const p = use();
    const ran = await runCli(['run', 'echo', '$GREETING', '&&', 'exit 4'], { cwd: p.dir, env: p.env });
    expect(ran.stdout).toBe('$GREETING && exit 4\n');
    expect(ran.code).toBe(0);
  });

  it("--help right after `run` is devrun's; after the command it is passed on", async () => {
    const p = use();
    const help = await runCli(['run', '--help'], { cwd: p.dir, env: p.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^devrun run <command\.\.>/);
    const passed = await runCli(['run', 'sh', '-c', 'echo "$GREETING" "$@"', 'sh', '--help', '-h'], { cwd: p.dir, env: p.env });
    expect(passed.stdout).toBe('hi from env --help -h\n');
    expect(passed.code).toBe(0);
  });
});
