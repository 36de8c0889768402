import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileLine, loggedProcesses, readHistory } from '../../../src/engine/log-files/history.js';
import { LogFileFormatter, runHeader } from '../../../src/engine/log-files/line-format.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'devrun-history-')));
const formatter = new LogFileFormatter({ colors: false });
const T0 = Date.parse('2026-12-01T09:00:00.000Z');

/** A log file as the writer makes it: a header, then one line per (ms after T0, text). */
function logFile(name: string, lines: [number, string][], header = true): void {
  const head = header ? runHeader('0.1.0', 'run', formatter.timestamp(T0)) : '';
  writeFileSync(join(dir, name), head + lines.map(([ms, text]) => formatter.format({ ts: T0 + ms, stream: 'stdout', text })).join(''));
}
const texts = (lines: FileLine[]) => lines.map((l) => `${l.proc} ${l.text}`);
const ALL = { last: Number.POSITIVE_INFINITY, from: Number.NEGATIVE_INFINITY, until: Number.POSITIVE_INFINITY };

describe('log file history', () => {
  it('lists the processes with files, rotated ones included', () => {
    fresh();
    logFile('web.1.log', []);
    logFile('web.1.log.1', []);
    logFile('worker.2.log.3', []);
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(loggedProcesses(dir)).toEqual(['web.1', 'worker.2']);
    expect(loggedProcesses(join(dir, 'missing'))).toEqual([]);
  });

  it('merges processes in time order: lines 10 ms apart interleave', () => {
    fresh();
    logFile(
      'a.1.log',
      [0, 20, 40, 60].map((ms) => [ms, `a at ${ms}`]),
    );
    logFile(
      'b.1.log',
      [10, 30, 50, 70].map((ms) => [ms, `b at ${ms}`]),
    );
    expect(texts(readHistory(dir, ['a.1', 'b.1'], ALL))).toEqual(
      [0, 10, 20, 30, 40, 50, 60, 70].map((ms) => (ms % 20 === 0 ? `a.1 a at ${ms}` : `b.1 b at ${ms}`)),
    );
    // The same millisecond keeps each process's order.
    logFile('c.1.log', [
      [5, 'first'],
      [5, 'second'],
      [5, 'third'],
    ]);
    expect(texts(readHistory(dir, ['c.1', 'a.1'], { ...ALL, last: 3 }))).toEqual(['a.1 a at 20', 'a.1 a at 40', 'a.1 a at 60']);
    expect(texts(readHistory(dir, ['c.1'], ALL))).toEqual(['c.1 first', 'c.1 second', 'c.1 third']);
  });

  it('-n counts lines of the merged output; --since and until bound it in time', () => {
    fresh();
    logFile(
      'a.1.log',
      [0, 20, 40, 60].map((ms) => [ms, `a${ms}`]),
    );
    logFile(
      'b.1.log',
      [10, 30, 50, 70].map((ms) => [ms, `b${ms}`]),
    );
    expect(texts(readHistory(dir, ['a.1', 'b.1'], { ...ALL, last: 3 }))).toEqual(['b.1 b50', 'a.1 a60', 'b.1 b70']);
    expect(texts(readHistory(dir, ['a.1', 'b.1'], { ...ALL, from: T0 + 45 }))).toEqual(['b.1 b50', 'a.1 a60', 'b.1 b70']);
    expect(texts(readHistory(dir, ['a.1', 'b.1'], { ...ALL, until: T0 + 20 }))).toEqual(['a.1 a0', 'b.1 b10', 'a.1 a20']);
    expect(readHistory(dir, ['a.1'], { ...ALL, last: 0 })).toEqual([]);
  });

  it('reads rotated files only as far back as needed, across block borders', () => {
    fresh();
    // 3 files of 3000 lines each (bigger than the first block read from the end).
    const span = (from: number) =>
      Array.from({ length: 3000 }, (_, i): [number, string] => [from + i, `line ${from + i} ${'z'.repeat(30)}`]);
    logFile('w.1.log.2', span(0));
    logFile('w.1.log.1', span(3000));
    logFile('w.1.log', span(6000), false);
    const last = readHistory(dir, ['w.1'], { ...ALL, last: 4500 });
    expect(last).toHaveLength(4500);
    expect(last.map((l) => l.ts - T0)).toEqual(Array.from({ length: 4500 }, (_, i) => 4500 + i));
    const all = readHistory(dir, ['w.1'], ALL);
    expect(all).toHaveLength(9000);
    const since = readHistory(dir, ['w.1'], { ...ALL, from: T0 + 2999 });
    expect(since[0]!.ts - T0).toBe(2999);
    expect(since).toHaveLength(6001);
  });

  it('skips a last line still being written', () => {
    fresh();
    logFile('a.1.log', [[0, 'whole']]);
    writeFileSync(join(dir, 'a.1.log'), `${formatter.format({ ts: T0 + 1, stream: 'stderr', text: 'half' }).slice(0, -1)}`, {
      flag: 'a',
    });
    expect(texts(readHistory(dir, ['a.1'], ALL))).toEqual(['a.1 whole']);
  });
});
