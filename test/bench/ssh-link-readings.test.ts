// The ssh-link bench's pure readings: tc's qdisc counters, the percentile of key latencies, and which
// writers' lines a captured screen shows.
import { describe, expect, it } from 'vitest';
import { parseQdiscSent } from '../../bench/lib/qdisc-stats.js';
import { median, percentile } from '../../bench/lib/results.js';
import { shownCounters } from '../../bench/lib/ssh-session.js';

describe('parseQdiscSent', () => {
  it("reads the root tbf qdisc's Sent line as tc -s prints it", () => {
    const text = [
      'qdisc tbf 8001: root refcnt 2 rate 256Kbit burst 16Kb lat 500ms ',
      ' Sent 181782 bytes 1243 pkt (dropped 3, overlimits 412 requeues 0) ',
      ' backlog 0b 0p requeues 0',
      '',
    ].join('\n');
    expect(parseQdiscSent(text)).toEqual({ bytes: 181782, packets: 1243, dropped: 3 });
  });

  it('is undefined when there is no counter line (no qdisc, or tc without -s)', () => {
    expect(parseQdiscSent('qdisc noqueue 0: root refcnt 2 \n')).toBeUndefined();
    expect(parseQdiscSent('')).toBeUndefined();
  });
});

describe('percentile (nearest rank)', () => {
  const presses = [120, 175, 155, 189, 95, 102, 132, 96, 131, 122];

  it('is the largest of 10 values at p95 and the smallest value with p% at or below it otherwise', () => {
    expect(percentile(presses, 95)).toBe(189);
    expect(percentile(presses, 90)).toBe(175);
    expect(percentile(presses, 50)).toBe(122);
    expect(median(presses)).toBe(126.5);
  });

  it('handles one value and none', () => {
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([], 95)).toBeNaN();
  });
});

describe('shownCounters', () => {
  it("reads devrun's pane (after the list's border), ignoring the list and wrapped tails", () => {
    const screen = [
      'devrun 4 running · CPU 47% · 249 MB',
      '  NAME            STATUS               ↻  CPU     MEM  UP│ b.1 · running · port 5100 · following',
      '● a.1             running              0  12%   62 MB <1m│ b 00617482 xxxxxxxxxxxxxxxxxxxx',
      '●›b.1             running              0  11%   62 MB <1m│ xxxxxxxxxxx',
      '● c.1             running              0  11%   62 MB <1m│ b 00617483 xxxxxxxxxxxxxxxxxxxx',
    ].join('\n');
    expect([...shownCounters(screen)]).toEqual([['b', 617483]]);
  });

  it('reads lines at the start of a row and inside a box, and reports every writer seen', () => {
    const screen = ['a 00000007 xxxx', '│a 00000009 xxxx│', '┃ c 00000002 xxxx ┃', 'a 00000008 xxxx'].join('\n');
    expect(shownCounters(screen)).toEqual(
      new Map([
        ['a', 9],
        ['c', 2],
      ]),
    );
  });

  it('does not take a process name followed by digits for a flood line', () => {
    expect(shownCounters('b.1 00000001 x\nab 00000001 x\n').size).toBe(0);
  });
});
