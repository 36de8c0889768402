import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

/** 300 characters that say where they are: every tenth one is its position's tens digit. */
const LONG = Array.from({ length: 300 }, (_, i) => (i % 10 === 9 ? String(((i + 1) / 10) % 10) : '-')).join('');

/** Prints the long line between markers, a red three-line trace, (FILLER=1: 200 more lines,) then a ruler of its terminal's width; then waits. */
const PRINTER = `
console.log('BEGIN' + ${JSON.stringify(LONG)} + 'END');
console.log('\\x1b[31mError: boom');
console.log('    at one (a.js:1)');
console.log('    at two (a.js:2)\\x1b[0m');
console.log('plain after');
if (process.env.FILLER) for (let i = 1; i <= 200; i++) console.log('filler ' + i);
const ruler = () => { const c = process.stdout.columns || 80; console.log('cols=' + c); console.log('<' + '='.repeat(c - 2) + '>'); };
ruler();
process.stdout.on('resize', ruler);
setInterval(() => {}, 1000);
`;

/** The pane's text rows: what follows the list's border (or the whole row when zoomed). */
const paneRows = (screen: string, zoomed: boolean) =>
  screen.split('\n').map((row) => (zoomed ? row.slice(1) : row.includes('│') ? row.slice(row.indexOf('│') + 2) : ''));

/** The long line put back together from the rows it wrapped onto. */
function unwrapped(screen: string, zoomed: boolean, indent = 0): string {
  const rows = paneRows(screen, zoomed);
  const first = rows.findIndex((r) => r.includes('BEGIN'));
  if (first < 0) return '';
  let text = rows[first]!.slice(rows[first]!.indexOf('BEGIN')).trimEnd();
  for (let i = first + 1; !text.includes('END') && i < rows.length; i++) text += rows[i]!.slice(indent).trimEnd();
  return text;
}

const devrun = (args = '') => `node ${DEVRUN_BIN} ${args}`;

describe('reading logs in the dashboard', () => {
  for (const [width, height] of [
    [120, 40],
    [80, 24],
  ] as const) {
    it(`wraps a 300-character line in full in the pane, the merged view and zoom at ${width}x${height}`, async () => {
      project = makeProject({ Procfile: 'web: node printer.js\n', 'printer.js': PRINTER });
      term = new Tmux(width, height, project.dir, project.env);
      term.run(devrun('--no-log-files'));
      // Each wait ends once the whole line reads back from the screen (a frame may be caught half drawn).
      const full = `BEGIN${LONG}END`;
      let screen = await term.waitFor((s) => unwrapped(s, false) === full && s.includes('plain after'));
      expect(unwrapped(screen, false)).toBe(full);

      // The merged view: continuation rows keep the text's column, after the name.
      term.keys('Tab');
      const nameColumn = 'web.1 '.length;
      screen = await term.waitFor((s) => s.includes('all processes') && unwrapped(s, false, nameColumn) === full);
      const rows = paneRows(screen, false);
      const begin = rows.findIndex((r) => r.includes('BEGIN'));
      expect(rows[begin + 1]!.slice(0, nameColumn).trim()).toBe('');

      // Zoom: the pane takes the whole width.
      term.keys('Tab', 'z');
      // A process on a terminal (the dashboard default) shows its live screen there; one on pipes its log.
      await term.waitFor((s) => /web\.1 · (zoom|running)/.test(s) && !s.includes('│') && unwrapped(s, true) === full);

      // w cuts instead, with a mark at the end of the row.
      term.keys('z', 'w');
      screen = await term.waitFor((s) => /BEGIN.*…\s*$/m.test(s));
      expect(screen).not.toContain('END');
      term.keys('q');
    });
  }

  it('colours carry across the lines of one process, as in a terminal', async () => {
    project = makeProject({ Procfile: 'web: node printer.js\n', 'printer.js': PRINTER });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun('--no-log-files'));
    await term.waitFor('plain after');
    const coloured = term.screen(true).split('\n');
    const row = (text: string) => coloured.find((r) => r.includes(text)) ?? '';
    // tmux writes a cell's foreground as ESC[31m (or 38;5;1 / 91 on some builds): red before the text.
    for (const text of ['Error: boom', 'at one (a.js:1)', 'at two (a.js:2)'])
      expect(row(text)).toMatch(/\x1b\[(?:3|9)1m[^\x1b]*(?:Error|at )/);
    expect(row('plain after')).not.toMatch(/\x1b\[(?:3|9)1m[^\x1b]*plain after/);
    term.keys('q');
  });

  it('focus leaves by itself when the focused process exits, with a notice', async () => {
    project = makeProject({ Procfile: 'ask: read answer; echo "got $answer"\n' });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun('--pty --no-log-files --restart never'));
    await term.waitFor(/ask\.1 +running/);
    term.keys('C-]');
    await term.waitFor('FOCUS ask.1');
    term.type('yes');
    term.keys('Enter');
    const screen = await term.waitFor('ask.1 exited: focus left');
    expect(screen).toContain('got yes');
    expect(screen).not.toContain('FOCUS ask.1');
    term.keys('q');
  });

  it("a process's terminal is exactly as wide as what is drawn: both ends of a full-width ruler show (pane, zoom)", async () => {
    project = makeProject({ Procfile: 'web: FILLER=1 node printer.js\n', 'printer.js': PRINTER });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun('--pty --no-log-files'));
    let screen = await term.waitFor(/cols=\d+/);
    // NaN while the screen shows no cols= line yet (the zoomed pane is blank until the resized child reprints).
    const cols = (s: string) => Number([...s.matchAll(/cols=(\d+)/g)].at(-1)?.[1]);
    screen = await term.waitFor((s) => new RegExp(`<={${cols(s) - 2}}>`).test(s));
    expect(cols(screen)).toBe(120 - 58 - 2);

    term.keys('z');
    screen = await term.waitFor((s) => s.includes('zoom') && cols(s) === 118 && /<={116}>/.test(s));
    // PgUp in zoom reads the log store above the live screen; g reaches a line printed 200 lines ago
    // (far above what the emulated screen holds); End goes back to the live screen.
    term.keys('PageUp');
    await term.waitFor((s) => s.includes('paused') && /filler 1\d\d\b/.test(s) && !s.includes('zoom · z returns'));
    term.keys('g');
    await term.waitFor((s) => s.includes('paused') && unwrapped(s, true) === `BEGIN${LONG}END`);
    term.keys('End');
    await term.waitFor((s) => s.includes('zoom · z returns'));
    term.keys('q');
  });
});
