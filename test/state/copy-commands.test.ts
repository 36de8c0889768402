import { afterEach, describe, expect, it } from 'vitest';
import { LocalControl } from '../../src/control/local-control.js';
import { CLIPBOARD_MAX_BYTES, capText, copiedNotice, osc52 } from '../../src/state/clipboard.js';
import { type Command, runCommand } from '../../src/state/commands.js';
import { uiReducer } from '../../src/state/ui-reducer.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';
import { makeSupervisor } from '../helpers/supervisor.js';

const PANE = 5;

/** A real supervisor behind LocalControl; the pane "shows" the last `shown` lines of the window the anchor ends at. */
function app(commands: Record<string, string>) {
  const h = makeSupervisor(commands);
  const control = new LocalControl(h.supervisor, () => {});
  const a = {
    ...h,
    control,
    ui: initialUiState as UiState,
    copied: [] as string[],
    /** The seqs the pane shows: the PANE lines ending at the anchor. */
    async shown(): Promise<number[]> {
      const window = await control.window({ kind: 'process', name: 'lines.1' }, a.ui.anchorSeq, PANE);
      return window.lines.map((l) => l.seq);
    },
    async run(command: Command) {
      const shownSeqs = await a.shown();
      return runCommand(command, {
        ui: a.ui,
        dispatch: (action) => (a.ui = uiReducer(a.ui, action)),
        control,
        paneHeight: PANE,
        shownSeqs,
        clipboard: (text) => a.copied.push(text),
      });
    },
    seqOf: (text: string) =>
      h.supervisor.logs
        .lines('lines.1')
        .toArray()
        .find((l) => l.text === text)!.seq,
    async cleanup() {
      control.dispose();
      await h.cleanup();
    },
  };
  return a;
}

let current: ReturnType<typeof app> | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function twentyLines() {
  const a = app({ lines: 'seq 1 20; exec sleep 30' });
  current = a;
  a.supervisor.startAll();
  await a.waitLine('lines.1', /^20$/);
  return a;
}

describe('copy mode over LocalControl and a real supervisor', () => {
  it('v starts on the newest line shown and pins the pane; V marks, ↑ extends, y copies whole lines and follows again', async () => {
    const a = await twentyLines();
    await a.run({ type: 'copy-open' });
    expect(a.ui).toMatchObject({ mode: 'copy', copy: { cursor: a.seqOf('20'), mark: null, follow: true }, anchorSeq: a.seqOf('20') });
    await a.run({ type: 'copy-mark' });
    await a.run({ type: 'copy-move', delta: -1 });
    await a.run({ type: 'copy-move', delta: -1 });
    expect(a.ui.copy).toMatchObject({ cursor: a.seqOf('18'), mark: a.seqOf('20') });
    await a.run({ type: 'copy-yank' });
    expect(a.copied).toEqual(['18\n19\n20']);
    expect(a.ui).toMatchObject({ mode: 'normal', copy: null, anchorSeq: null, notice: 'copied 3 lines' });
  });

  it('moving past the top of the pane scrolls it a line; past the bottom, down again', async () => {
    const a = await twentyLines();
    await a.run({ type: 'copy-open' });
    for (let i = 0; i < PANE; i++) await a.run({ type: 'copy-move', delta: -1 });
    // 20 at the bottom, five lines shown (16-20): five up is 15, and the pane now ends at 19.
    expect(a.ui.copy?.cursor).toBe(a.seqOf('15'));
    expect(await a.shown()).toContain(a.seqOf('15'));
    for (let i = 0; i < PANE + 2; i++) await a.run({ type: 'copy-move', delta: 1 });
    expect(a.ui.copy?.cursor).toBe(a.seqOf('20'));
    // Esc leaves, and the pane follows again as it did before v.
    await a.run({ type: 'copy-leave' });
    expect(a.ui).toMatchObject({ mode: 'normal', copy: null, anchorSeq: null });
  });

  it('a single line without a mark; a pane scrolled up before v stays where it was after Esc', async () => {
    const a = await twentyLines();
    a.ui = { ...a.ui, anchorSeq: a.seqOf('10') };
    await a.run({ type: 'copy-open' });
    expect(a.ui.copy).toMatchObject({ cursor: a.seqOf('10'), follow: false });
    await a.run({ type: 'copy-yank' });
    expect(a.copied).toEqual(['10']);
    expect(a.ui).toMatchObject({ notice: 'copied 1 line', anchorSeq: a.seqOf('10') });
  });
});

describe('clipboard text', () => {
  it('OSC 52 carries the text in base64', () => {
    expect(osc52('a\nb')).toBe(`\x1b]52;c;${Buffer.from('a\nb').toString('base64')}\x07`);
  });

  it('is cut at 100 KB on a line boundary, and says so', () => {
    const line = 'x'.repeat(1023);
    const text = Array.from({ length: 150 }, () => line).join('\n');
    const capped = capText(text);
    expect(capped).toMatchObject({ lines: 100, cut: true });
    expect(Buffer.byteLength(capped.text)).toBeLessThanOrEqual(CLIPBOARD_MAX_BYTES);
    expect(copiedNotice(capped)).toBe('copied 100 lines (cut to 100 KB)');
    expect(capText('a\nb')).toEqual({ text: 'a\nb', lines: 2, cut: false });
  });

  it('cuts one line longer than the cap inside it, never in the middle of a character', () => {
    const capped = capText('é'.repeat(60_000));
    expect(capped).toMatchObject({ lines: 1, cut: true });
    expect(capped.text).toBe('é'.repeat(CLIPBOARD_MAX_BYTES / 2));
  });
});
