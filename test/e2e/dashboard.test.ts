import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

const PROCFILE = [
  'web: echo "web pid $$"; exec sleep 300',
  'ticker: i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.2; done',
  'echo: while read line; do echo "answer: $line"; done',
  '',
].join('\n');

const devrun = (args = '') => `node ${DEVRUN_BIN} ${args}`;

/** The pids that `web` reported, newest last. */
const webPids = (screen: string) => [...screen.matchAll(/web pid (\d+)/g)].map((m) => Number(m[1]));

describe('dashboard in a real terminal', () => {
  it('restart, stop, input, merged view, resize and quit at 120x40', async () => {
    project = makeProject({ Procfile: PROCFILE });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run('echo BEFORE-DEVRUN');
    term.run(devrun());
    let screen = await term.waitFor((s) => /web\.1/.test(s) && /ticker\.1/.test(s) && /echo\.1/.test(s) && /web pid \d+/.test(s));
    expect(screen).not.toContain('BEFORE-DEVRUN'); // on the alternate screen
    expect(screen).toMatch(/NAME +STATUS/);
    const [firstPid] = webPids(screen);

    // r restarts the selected (first) process: a new pid; ↻ stays 0 (it counts devrun's own restarts).
    term.keys('r');
    screen = await term.waitFor((s) => webPids(s).length >= 2 && /web\.1 +running +0 /.test(s));
    expect(webPids(screen).at(-1)).not.toBe(firstPid);

    // x stops it.
    term.keys('x');
    await term.waitFor(/web\.1 +stopped/);

    // Input mode on the echo process: the answer shows in its pane, and the child's terminal echoes
    // the sent line (on pipes devrun echoes it itself, marked ›).
    term.keys('j', 'j', 'i');
    await term.waitFor('echo.1>');
    term.type('hello there');
    term.keys('Enter');
    screen = await term.waitFor('answer: hello there');
    expect(screen).toMatch(/│ hello there\s*$/m);
    term.keys('Escape');
    await term.waitFor((s) => !s.includes('echo.1>'));

    // Tab: the merged view shows lines of several processes with their names.
    term.keys('Tab');
    screen = await term.waitFor((s) => /all processes/.test(s) && /ticker\.1 +tick-\d+/.test(s) && /echo\.1 +answer: hello there/.test(s));

    // The layout follows a resize to 80x24: compact list (no CPU column), status bar on the last line.
    term.resize(80, 24);
    // (In the merged view the footer offers the process view.)
    screen = await term.waitFor((s) => /^devrun /.test(s) && !/NAME +STATUS/.test(s) && /Tab process view /.test(s));
    const lines = screen.split('\n');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines[0]).toMatch(/^devrun /);

    // q stops everything and gives the shell back, with the alternate screen left.
    term.keys('q');
    screen = await term.waitFor((s) => s.includes('BEFORE-DEVRUN') && /^PROMPT\$\s*$/m.test(s));
    const shell = term.shellPid();
    await waitFor(() => project!.survivors().filter((pid) => pid !== shell).length === 0, { what: 'every process gone' });
  });

  it('works at 80x24 from the start, and hostile output leaves the screen intact', async () => {
    const hostile = [
      "printf 'x\\033[2J\\033[Hy\\033]0;evil\\007\\033[10;10Hz\\a\\n'",
      "printf '\\033[?1049l\\033[?25l\\033c'; echo reset-attempt",
      "head -c 1048576 /dev/zero | tr '\\0' w; echo",
      "head -c 4000 /dev/urandom | tr -d '\\n'; echo",
      "printf 'wide: 日本語テキスト 🎉🎉🎉 %0200d\\n' 0",
      'echo hostile-done; exec sleep 300',
    ].join('; ');
    project = makeProject({ 'hostile.sh': hostile, Procfile: `hostile: sh hostile.sh\nquiet: exec sleep 300\n` });
    term = new Tmux(80, 24, project.dir, project.env);
    term.run(devrun());
    await term.waitFor('hostile-done');
    // The 1 MB line wraps onto every row: w cuts long lines, so the lines around it show.
    term.keys('w');
    const screen = await term.waitFor((s) => s.includes('hostile-done') && s.includes('xyz'));
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^devrun 2 running/);
    expect(lines[1]).toMatch(/hostile\.1 +running/);
    expect(lines[2]).toMatch(/quiet\.1 +running/);
    expect(screen).toContain('xyz');
    expect(screen).toContain('reset-attempt');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toMatch(/Tab merged /);
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('waiting, ready and s on a process its dependents wait for', async () => {
    project = makeProject({
      Procfile: 'db: echo "db up"; exec sleep 300\nweb: echo "web up"; exec sleep 300\n',
      'devrun.yaml': 'processes:\n  db: { autostart: false, ready: { log: "^db up$" } }\n  web: { depends_on: { db: ready } }\n',
    });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun());
    await term.waitFor((s) => /db\.1 +stopped/.test(s) && /web\.1 +waiting for db \(/.test(s));
    // db is selected (the first row): s starts it; once its probe passes, web starts.
    term.keys('s');
    await term.waitFor((s) => /db\.1 +ready/.test(s) && /web\.1 +running/.test(s));
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });
});
