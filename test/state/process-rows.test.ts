import { describe, expect, it } from 'vitest';
import type { ProcessState, ProcessStatus } from '../../src/engine/process-state.js';
import type { ResourceUsage } from '../../src/engine/resource-sampler.js';
import { formatCpu, formatMemory, formatUptime, processRows, statusText, totalsText } from '../../src/state/process-rows.js';

const NOW = 1_000_000;
const MB = 1024 * 1024;
const GB = 1024 * MB;

/** A process in `status`; running-like statuses get a pid unless told otherwise. */
function proc(name: string, status: ProcessStatus, fields: Partial<ProcessState> = {}): ProcessState {
  const live = status === 'running' || status === 'ready' || status === 'starting' || status === 'stopping';
  return {
    name,
    entry: name.split('.')[0]!,
    index: 0,
    command: 'true',
    port: 5000,
    status,
    pid: live ? 4242 : undefined,
    restarts: 0,
    startedAt: live ? NOW - 5000 : undefined,
    restartAt: undefined,
    lastExit: undefined,
    reason: undefined,
    ...fields,
  };
}
const exit = (code: number | null, signal: NodeJS.Signals | null = null) => ({ code, signal, at: NOW, byUser: false });
const usage = (entries: Record<string, ResourceUsage>): ReadonlyMap<string, ResourceUsage> => new Map(Object.entries(entries));

describe('statusText', () => {
  it.each([
    { state: proc('w.1', 'pending'), expected: 'pending' },
    { state: proc('w.1', 'starting'), expected: 'starting' },
    { state: proc('w.1', 'running'), expected: 'running' },
    { state: proc('w.1', 'ready'), expected: 'ready' },
    { state: proc('w.1', 'waiting', { reason: 'waiting for db (port 5432)' }), expected: 'waiting for db (port 5432)' },
    { state: proc('w.1', 'blocked', { reason: 'migrate crashed: exit 1' }), expected: 'blocked: migrate crashed: exit 1' },
    {
      state: proc('w.1', 'failed', { lastExit: exit(null, 'SIGTERM'), reason: 'not ready after 60 s' }),
      expected: 'failed (not ready after 60 s)',
    },
    { state: proc('w.1', 'stopping'), expected: 'stopping…' },
    { state: proc('w.1', 'stopped', { lastExit: exit(null, 'SIGTERM') }), expected: 'stopped' },
    { state: proc('w.1', 'exited', { lastExit: exit(0) }), expected: 'exited 0' },
    { state: proc('w.1', 'crashed', { lastExit: exit(1) }), expected: 'crashed (exit 1)' },
    { state: proc('w.1', 'crashed', { lastExit: exit(null, 'SIGSEGV') }), expected: 'crashed (SIGSEGV)' },
    { state: proc('w.1', 'failed', { lastExit: exit(2) }), expected: 'failed (exit 2)' },
    { state: proc('w.1', 'failed', { lastExit: exit(null, 'SIGKILL') }), expected: 'failed (SIGKILL)' },
    { state: proc('w.1', 'backoff', { restartAt: NOW + 3200 }), expected: 'restarting in 4s' },
    { state: proc('w.1', 'backoff', { restartAt: NOW + 3000 }), expected: 'restarting in 3s' },
    { state: proc('w.1', 'backoff', { restartAt: NOW + 2999 }), expected: 'restarting in 3s' },
    { state: proc('w.1', 'backoff', { restartAt: NOW + 1 }), expected: 'restarting in 1s' },
    { state: proc('w.1', 'backoff', { restartAt: NOW }), expected: 'restarting in 0s' },
    { state: proc('w.1', 'backoff', { restartAt: NOW - 500 }), expected: 'restarting in 0s' },
  ])('$state.status -> "$expected"', ({ state, expected }) => {
    expect(statusText(state, NOW)).toBe(expected);
  });

  it('counts down as time passes, rounding up, never below 0', () => {
    const state = proc('w.1', 'backoff', { restartAt: NOW + 3200 });
    const seconds = [0, 200, 1200, 2200, 3199, 3200, 9000].map((elapsed) => statusText(state, NOW + elapsed));
    expect(seconds).toEqual([
      'restarting in 4s',
      'restarting in 3s',
      'restarting in 2s',
      'restarting in 1s',
      'restarting in 1s',
      'restarting in 0s',
      'restarting in 0s',
    ]);
  });
});

describe('formatUptime', () => {
  it.each([
    { ms: 0, expected: '<1m' },
    { ms: 999, expected: '<1m' },
    { ms: 59_999, expected: '<1m' },
    { ms: 60_000, expected: '1m' },
    { ms: 119_999, expected: '1m' },
    { ms: 3_599_999, expected: '59m' },
    { ms: 3_600_000, expected: '1h' },
    { ms: 86_399_999, expected: '23h' },
    { ms: 86_400_000, expected: '1d' },
    { ms: 3 * 86_400_000 + 5, expected: '3d' },
  ])('$ms ms -> $expected', ({ ms, expected }) => {
    expect(formatUptime(ms)).toBe(expected);
  });
});

describe('formatMemory and formatCpu', () => {
  it.each([
    { bytes: 0, expected: '0 MB' },
    { bytes: 812 * MB, expected: '812 MB' },
    { bytes: 812.4 * MB, expected: '812 MB' },
    { bytes: 1023 * MB, expected: '1023 MB' },
    { bytes: GB, expected: '1.0 GB' },
    { bytes: 1.5 * GB, expected: '1.5 GB' },
    { bytes: 12.25 * GB, expected: '12.3 GB' },
  ])('$bytes bytes -> $expected', ({ bytes, expected }) => {
    expect(formatMemory(bytes)).toBe(expected);
  });

  it.each([
    { percent: 0, expected: '0%' },
    { percent: 43.4, expected: '43%' },
    { percent: 43.5, expected: '44%' },
    { percent: 187.2, expected: '187%' }, // a process tree can use more than one core
  ])('$percent -> $expected', ({ percent, expected }) => {
    expect(formatCpu(percent)).toBe(expected);
  });
});

describe('processRows', () => {
  it('gives every status a glyph and a tone, and formats a live process', () => {
    const statuses: ProcessStatus[] = ['pending', 'starting', 'running', 'stopping', 'stopped', 'exited', 'crashed', 'backoff', 'failed'];
    const rows = processRows(
      statuses.map((s) => proc(`${s}.1`, s, { lastExit: exit(1) })),
      new Map(),
      NOW,
    );
    for (const row of rows) {
      expect(row.glyph, row.name).not.toBe('');
      expect(['good', 'busy', 'muted', 'warn', 'bad']).toContain(row.tone);
    }
    expect(rows.find((r) => r.status === 'running')).toMatchObject({ tone: 'good', statusText: 'running', uptime: '<1m' });
    expect(rows.find((r) => r.status === 'crashed')).toMatchObject({ tone: 'bad' });
    expect(rows.find((r) => r.status === 'backoff')).toMatchObject({ tone: 'warn' });
  });

  it('shows CPU, memory and uptime only for a process with a pid, even if a stale sample remains', () => {
    const states = [
      proc('web.1', 'running', { index: 0, pid: 101, startedAt: NOW - 90_000, restarts: 2 }),
      proc('worker.1', 'crashed', { index: 1, lastExit: exit(1) }),
      proc('db.1', 'stopped', { index: 2 }),
    ];
    const sample = usage({ 'web.1': { cpu: 12.6, rss: 300 * MB }, 'worker.1': { cpu: 50, rss: 100 * MB } });
    const rows = processRows(states, sample, NOW).map(({ name, index, pid, cpu, memory, uptime, restarts }) => ({
      name,
      index,
      pid,
      cpu,
      memory,
      uptime,
      restarts,
    }));
    expect(rows).toEqual([
      { name: 'web.1', index: 0, pid: 101, cpu: '13%', memory: '300 MB', uptime: '1m', restarts: 2 },
      { name: 'worker.1', index: 1, pid: undefined, cpu: '', memory: '', uptime: '', restarts: 0 },
      { name: 'db.1', index: 2, pid: undefined, cpu: '', memory: '', uptime: '', restarts: 0 },
    ]);
  });

  it('a running process not sampled yet has blank CPU and memory but an uptime', () => {
    const [row] = processRows([proc('web.1', 'running')], new Map(), NOW);
    expect(row).toMatchObject({ cpu: '', memory: '', uptime: '<1m' });
  });
});

describe('totalsText', () => {
  it.each<{ name: string; states: ProcessState[]; usage: Record<string, ResourceUsage>; expected: string }>([
    {
      name: 'counts, CPU and memory in that order',
      states: [proc('a.1', 'running', { pid: 1 }), proc('b.1', 'crashed', { lastExit: exit(1) }), proc('c.1', 'running', { pid: 3 })],
      usage: { 'a.1': { cpu: 30.2, rss: 512 * MB }, 'c.1': { cpu: 12.9, rss: 300 * MB } },
      expected: '2 running · 1 crashed · CPU 43% · 812 MB',
    },
    {
      name: 'a dead process’s last sample is not counted',
      states: [proc('a.1', 'running', { pid: 1 }), proc('b.1', 'crashed', { lastExit: exit(1) })],
      usage: { 'a.1': { cpu: 10, rss: 100 * MB }, 'b.1': { cpu: 90, rss: 900 * MB } },
      expected: '1 running · 1 crashed · CPU 10% · 100 MB',
    },
    {
      name: 'no sampling: no CPU or memory',
      states: [proc('a.1', 'running'), proc('b.1', 'stopped')],
      usage: {},
      expected: '1 running · 1 stopped',
    },
    {
      name: 'backoff reads as restarting',
      states: [proc('a.1', 'backoff', { restartAt: NOW + 1000 }), proc('b.1', 'backoff', { restartAt: NOW + 1000 })],
      usage: {},
      expected: '2 restarting',
    },
    {
      name: 'a fixed order whatever the process order',
      states: (
        [
          'pending',
          'blocked',
          'stopped',
          'exited',
          'failed',
          'crashed',
          'stopping',
          'backoff',
          'waiting',
          'starting',
          'ready',
          'running',
        ] as const
      ).map((s, i) => proc(`p${i}.1`, s)),
      usage: {},
      expected:
        '1 running · 1 ready · 1 starting · 1 waiting · 1 restarting · 1 stopping · 1 crashed · 1 failed · 1 blocked · 1 exited · 1 stopped · 1 pending',
    },
    { name: 'no processes', states: [], usage: {}, expected: '' },
  ])('$name', ({ states, usage: entries, expected }) => {
    expect(totalsText(states, usage(entries))).toBe(expected);
  });
});
