import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

// tmux answers devrun's query after each frame itself (ESC[5n → ESC[0n): the answering path of the gate.
describe('frame flow control in tmux', () => {
  it('during a flood keys still work, answers never reach a focused process, and the screen ends current', async () => {
    project = makeProject({
      // `cat -v` shows an escape it is sent as ^[: an answer leaking into focus mode would show.
      Procfile: 'echo: exec cat -v\nflood: while [ ! -e stop ]; do seq 1 20000; done; echo flood-done; exec sleep 300\n',
    });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(`node ${DEVRUN_BIN}`);
    await term.waitFor((s) => /echo\.1 +running/.test(s) && /flood\.1 +running/.test(s));
    term.keys('C-]');
    await term.waitFor('FOCUS echo.1');
    term.type('hello-focus');
    term.keys('Enter');
    let screen = await term.waitFor(/│ hello-focus\s*$/m);
    expect(screen).not.toContain('^[');
    term.keys('C-]');
    await term.waitFor((s) => !s.includes('FOCUS'));
    term.keys('j');
    await term.waitFor('flood.1 · ');
    term.keys('k');
    screen = await term.waitFor('echo.1 · ');
    expect(screen).not.toContain('^[');
    // The flood was on all along; once it stops, its last line is on the screen.
    writeFileSync(join(project.dir, 'stop'), '');
    term.keys('j');
    await term.waitFor((s) => s.includes('flood.1 · ') && /│ flood-done\s*$/m.test(s));
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });
});
