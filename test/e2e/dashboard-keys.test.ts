import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

const devrun = (args = '') => `node ${DEVRUN_BIN} ${args}`;
const SIZES = [
  [120, 40],
  [80, 24],
] as const;

describe.each(SIZES)('dashboard keys at %ix%i', (width, height) => {
  it('/ searches: "match N of M" in the title, ↑ recalls the last query, Esc clears', async () => {
    project = makeProject({
      Procfile: 'web: for i in 1 2 3 4 5; do echo "hit $i"; echo other; done; echo done-printing; exec sleep 300\n',
    });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun());
    await term.waitFor('done-printing');
    term.keys('/');
    await term.waitFor(/^\/ +Enter search/m);
    term.type('hit');
    term.keys('Enter');
    await term.waitFor('/hit · match 5 of 5');
    term.keys('n', 'n');
    await term.waitFor('/hit · match 3 of 5');
    // / opens empty; ↑ brings "hit" back.
    term.keys('/');
    await term.waitFor(/^\/ +Enter search/m);
    term.keys('Up');
    await term.waitFor(/^\/hit +Enter search/m);
    term.keys('Enter');
    await term.waitFor('/hit · match 5 of 5');
    term.keys('Escape');
    const screen = await term.waitFor((s) => !s.includes('/hit'));
    expect(screen).toContain('web.1 · running');
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('? shows every key without cutting a description; it scrolls when it must; Esc closes', async () => {
    project = makeProject({ Procfile: 'web: echo up; exec sleep 300\n' });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun());
    await term.waitFor('web.1 · running');
    term.keys('?');
    let screen = await term.waitFor('Keys (Esc or ? closes');
    expect(screen.split('\n').every((l) => l.length <= width)).toBe(true);
    expect(screen).toContain('restart the process');
    if (height === 24) {
      // 20 rows of keys: it scrolls, and PgDn reaches the last section.
      expect(screen).toMatch(/rows 1-20 of \d+/);
      expect(screen).not.toContain('no (any key)');
      term.keys('PageDown', 'PageDown');
      screen = await term.waitFor('no (any key)');
    }
    expect(screen).toContain('Stop everything (Q)');
    expect(screen).toContain('yes: stop all');
    term.keys('Escape');
    await term.waitFor((s) => !s.includes('Keys (Esc') && s.includes('web.1 · running'));
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('the footer follows the mode: the merged view offers the process view; while stopping only what still works', async () => {
    // stubborn ignores SIGTERM: devrun stays "stopping" until the 30 s timeout, long enough to look.
    project = makeProject({ Procfile: "stubborn: trap 'echo got-term' TERM; echo up; while :; do sleep 0.1; done\n" });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun('-t 30'));
    await term.waitFor(/^Tab merged {2}r restart/m);
    term.keys('Tab');
    await term.waitFor(/^Tab process view {2}r restart/m);
    term.keys('Tab');
    await term.waitFor(/^Tab merged {2}r restart/m);
    term.keys('q');
    const screen = await term.waitFor(/^stopping 1 of 1… \(q again: kill now\) {2}Tab merged {2}\/ search {2}\? help\s*$/m);
    expect(screen).not.toMatch(/r restart|i input|Q stop all/);
    term.keys('r');
    await term.waitFor('devrun is stopping: nothing starts again');
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('↻ counts restarts after crashes only; R leaves a finished one-shot and says so', async () => {
    project = makeProject({
      Procfile: 'web: echo "web up $$"; exec sleep 300\nmigrate: echo migrated\nflaky: echo flaky-up; sleep 0.3; exit 3\n',
    });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun('--max-restarts 1'));
    await term.waitFor((s) => /migrate\.1 +exited 0/.test(s) && /flaky\.1 +failed/.test(s));
    term.keys('R');
    await term.waitFor('restarted 2; left migrate.1 (finished)');
    await term.waitFor((s) => (s.match(/web up \d+/g) ?? []).length >= 2);
    if (width >= 110) {
      const screen = await term.waitFor(/web\.1 +running +0 /);
      expect(screen).toMatch(/flaky\.1 +\S.* +1 /);
    }
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it("the selected process's title shows its PORT and the first URL it printed", async () => {
    project = makeProject({ Procfile: 'web: echo "Listening on http://localhost:$PORT/app"; exec sleep 300\nquiet: exec sleep 300\n' });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun('-p 6100'));
    await term.waitFor(
      width >= 110 ? 'web.1 · running · port 6100 · http://localhost:6100/app' : 'web.1 · running · port 6100 · http://local',
    );
    term.keys('j');
    await term.waitFor('quiet.1 · running · port 6200');
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('a crash of a process not looked at sets the terminal title (OSC 2); looking at it restores "devrun"', async () => {
    project = makeProject({ Procfile: 'web: exec sleep 300\nworker: echo up; while [ ! -e crash-now ]; do sleep 0.1; done; exit 4\n' });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun('--bell'));
    await term.waitFor(/worker\.1 +running/);
    const before = term.paneTitle();
    expect(before).not.toContain('✗');
    writeFileSync(join(project.dir, 'crash-now'), '');
    await waitFor(() => term!.paneTitle() === 'devrun ✗ worker.1', { what: `the title (now "${term!.paneTitle()}")` });
    term.keys('j');
    await waitFor(() => term!.paneTitle() === 'devrun', { what: 'the title restored' });
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('NO_COLOR: no colour on screen; selection (inverse, ›) and state (glyphs) still show', async () => {
    project = makeProject({ Procfile: "web: printf '\\033[31mred text\\033[0m\\n'; exec sleep 300\nbad: exit 3\n" });
    term = new Tmux(width, height, project.dir, { ...project.env, NO_COLOR: '1' });
    term.run(devrun('--max-restarts 0'));
    await term.waitFor((s) => s.includes('red text') && /✗ bad\.1/.test(s));
    const screen = term.screen(true);
    const colours = [...screen.matchAll(/\x1b\[([0-9;:]*)m/g)]
      .flatMap((m) => m[1]!.split(';'))
      // 39 and 49 are the default colours (capture-pane writes them itself); any other is a colour.
      .filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
    expect(colours).toEqual([]);
    expect(screen).toMatch(/\x1b\[[0-9;]*7[0-9;]*mweb\.1/); // the selected name in inverse
    expect(term.screen()).toMatch(/●›web\.1/);
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });
});

describe('TERM=dumb', () => {
  it('gets the headless output, and one line on stderr saying so', async () => {
    project = makeProject({ Procfile: 'web: echo hello-from-web; exec sleep 300\n' });
    term = new Tmux(80, 24, project.dir, { ...project.env, TERM: 'dumb' });
    term.run(devrun());
    const screen = await term.waitFor(/web\.1 +\| hello-from-web|web\.1.*hello-from-web/);
    expect(screen).toContain('devrun: TERM=dumb: plain merged output instead of the dashboard');
    expect(screen).not.toContain('NAME');
    term.keys('C-c');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });
});
