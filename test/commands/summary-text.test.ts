import { describe, expect, it } from 'vitest';
import { clip, formatSummary, summaryToShow, wrap } from '../../src/commands/summary-text.js';
import type { RunSummary, UncleanProcess } from '../../src/engine/run-summary.js';

function summary(over: Partial<RunSummary> = {}): RunSummary {
  const unclean = over.unclean ?? [];
  return {
    version: 1,
    runId: 'run-1',
    pid: 4242,
    root: '/app',
    procfile: '/app/Procfile',
    mode: 'headless',
    startedAt: '2026-12-01T09:00:00.000Z',
    endedAt: '2026-12-01T09:05:00.000Z',
    exitCode: unclean.length > 0 ? 3 : 0,
    failed: unclean.length > 0,
    internalError: false,
    hungUp: false,
    processCount: 3,
    logDir: null,
    ...over,
    unclean,
  };
}

const web: UncleanProcess = {
  name: 'web.1',
  state: 'failed',
  exit: { code: 3, signal: null },
  restarts: 2,
  why: 'gave up after 2 restarts in a row',
  lastLines: ['listening on 5000', 'Error: connect ECONNREFUSED 127.0.0.1:5432'],
};
const worker: UncleanProcess = {
  name: 'worker.1',
  state: 'crashed',
  exit: { code: null, signal: 'SIGSEGV' },
  restarts: 0,
  why: 'not restarted (restart: never)',
  lastLines: [],
};

describe('summaryToShow: whether anything is printed', () => {
  const failed = summary({ unclean: [web] });
  it.each([
    // run, stdout a terminal -> printed
    { what: 'clean, terminal', run: summary(), terminal: true, printed: true },
    { what: 'clean, pipe', run: summary(), terminal: false, printed: false },
    { what: 'failed, terminal', run: failed, terminal: true, printed: true },
    { what: 'failed, pipe', run: failed, terminal: false, printed: true },
    { what: 'internal error, pipe', run: summary({ internalError: true, failed: true, exitCode: 70 }), terminal: false, printed: true },
    { what: 'failed, hung up', run: { ...failed, hungUp: true }, terminal: true, printed: false },
  ])('$what -> $printed', ({ run, terminal, printed }) => {
    const text = summaryToShow(run, { stdoutIsTerminal: terminal, width: 80 });
    expect(text !== '').toBe(printed);
    if (printed) expect(text).toBe(formatSummary(run, 80));
  });
});

describe('formatSummary', () => {
  it('a clean run is one line, with the log folder when there is one', () => {
    expect(formatSummary(summary(), 80)).toBe('devrun: all 3 processes ended cleanly\n');
    expect(formatSummary(summary({ processCount: 1, logDir: '.devrun/logs' }), 80)).toBe(
      'devrun: the process ended cleanly; logs: .devrun/logs\n',
    );
  });

  it('a failed run: a headline, each process with its state, exit, restarts, why and last lines, then the logs', () => {
    const text = formatSummary(summary({ unclean: [web, worker], logDir: '/app/.devrun/logs' }), 80);
    expect(text).toBe(
      [
        'devrun: 2 of 3 processes did not end cleanly (exit code 3)',
        'web.1 failed (exit 3, restarted 2 times): gave up after 2 restarts in a row',
        '  | listening on 5000',
        '  | Error: connect ECONNREFUSED 127.0.0.1:5432',
        'worker.1 crashed (SIGSEGV): not restarted (restart: never)',
        '  | (no output)',
        'logs: /app/.devrun/logs',
        '',
      ].join('\n'),
    );
  });

  it('exit code 0 (q while a process waited to restart) is not mentioned', () => {
    const waiting: UncleanProcess = { ...web, state: 'stopped', why: 'crashed, then stopped while waiting to restart' };
    expect(formatSummary(summary({ unclean: [waiting], exitCode: 0 }), 80).split('\n')[0]).toBe(
      'devrun: 1 of 3 processes did not end cleanly',
    );
  });

  it('one process; one restart; no why; an internal error', () => {
    const one = { ...web, restarts: 1, why: null };
    expect(
      formatSummary(summary({ processCount: 1, unclean: [one] }), 80)
        .split('\n')
        .slice(0, 2),
    ).toEqual(['devrun: the process did not end cleanly (exit code 3)', 'web.1 failed (exit 3, restarted 1 time)']);
    const crashed = summary({ unclean: [one], internalError: true, exitCode: 70 });
    expect(formatSummary(crashed, 80)).toMatch(/^devrun: internal error; 1 of 3 processes did not end cleanly \(exit code 70\)\n/);
    expect(formatSummary(summary({ internalError: true, failed: true, exitCode: 70 }), 80)).toBe(
      'devrun: stopped after an internal error (exit code 70)\n',
    );
  });

  it('fits the width: sentences wrap with an indent, output lines are clipped with …', () => {
    const long: UncleanProcess = {
      ...web,
      why: 'command not found: some-really-long-command-name-that-goes-on',
      lastLines: [`Error: ${'x'.repeat(100)}`, 'short'],
    };
    const text = formatSummary(summary({ unclean: [long], logDir: `/home/me/${'deep/'.repeat(12)}.devrun/logs` }), 40);
    for (const line of text.trimEnd().split('\n')) expect([...line].length, line).toBeLessThanOrEqual(40);
    expect(text).toBe(
      [
        'devrun: 1 of 3 processes did not end',
        '  cleanly (exit code 3)',
        'web.1 failed (exit 3, restarted 2',
        '  times): command not found:',
        '  some-really-long-command-name-that-goe',
        '  s-on',
        `  | Error: ${'x'.repeat(28)}…`,
        '  | short',
        'logs:',
        '  /home/me/deep/deep/deep/deep/deep/deep',
        '  /deep/deep/deep/deep/deep/deep/.devrun',
        '  /logs',
        '',
      ].join('\n'),
    );
  });

  it('prints only text: control characters and escape sequences from the file or a process are removed', () => {
    const hostile: UncleanProcess = {
      ...web,
      name: 'web.1\x1b[2J',
      why: 'bad\x07 \x1b]0;title\x07why',
      lastLines: ['\x1b[31mred\x1b[0m\rline'],
    };
    const text = formatSummary(summary({ unclean: [hostile] }), 80);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toContain('web.1 failed (exit 3, restarted 2 times): bad why');
    expect(text).toContain('  | redline');
  });

  it('a width below 20 is taken as 20', () => {
    const text = formatSummary(summary({ unclean: [web] }), 5);
    for (const line of text.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(20);
  });
});

describe('wrap and clip', () => {
  it.each([
    { text: 'short', width: 20, expected: 'short' },
    { text: 'one two three four', width: 9, expected: 'one two\n  three\n  four' },
    { text: 'exactly nine', width: 12, expected: 'exactly nine' },
    { text: 'abcdefghijklmnop', width: 6, expected: 'abcdef\n  ghij\n  klmn\n  op' },
    { text: 'ab cdefghijkl', width: 6, expected: 'ab\n  cdef\n  ghij\n  kl' },
    { text: 'héllo wörld ✓', width: 11, expected: 'héllo wörld\n  ✓' },
  ])('wrap($text, $width)', ({ text, width, expected }) => {
    expect(wrap(text, width)).toBe(expected);
  });

  it.each([
    { text: 'fits', width: 4, expected: 'fits' },
    { text: 'too long', width: 5, expected: 'too …' },
    { text: '✓✓✓✓✓✓', width: 4, expected: '✓✓✓…' },
  ])('clip($text, $width)', ({ text, width, expected }) => {
    expect(clip(text, width)).toBe(expected);
  });
});
