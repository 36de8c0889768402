import { describe, expect, it } from 'vitest';
import type { DependencyCondition } from '../../src/config/settings/types.js';
import { type Dependency, gate } from '../../src/engine/dependency-gate.js';
import type { ProcessState, ProcessStatus } from '../../src/engine/process-state.js';
import { stopLevels } from '../../src/engine/stop-order.js';

function state(name: string, status: ProcessStatus, extra: Partial<ProcessState> = {}): ProcessState {
  const entry = name.split('.')[0]!;
  return {
    name: name.includes('.') ? name : `${name}.1`,
    entry,
    index: 0,
    command: 'x',
    port: 5000,
    status,
    pid: undefined,
    restarts: 0,
    startedAt: undefined,
    restartAt: undefined,
    lastExit: undefined,
    reason: undefined,
    ...extra,
  };
}
const exit = (code: number | null, signal: NodeJS.Signals | null = null) => ({ lastExit: { code, signal, at: 0, byUser: false } });
const PID = { pid: 4242 };
const on = (condition: DependencyCondition, probe?: string): Dependency[] => [{ entry: 'db', condition, probe }];

describe('dependency gate: a dependency state and condition give go, wait or blocked', () => {
  const GO = { kind: 'go' };
  const wait = (reason: string) => ({ kind: 'wait', reason: `waiting for db (${reason})` });
  const blocked = (reason: string) => ({ kind: 'blocked', reason: `db ${reason}` });
  it.each<[ProcessStatus, Partial<ProcessState>, DependencyCondition, object]>([
    ['pending', {}, 'started', wait('to start')],
    ['waiting', {}, 'ready', wait('port 5432')],
    ['waiting', {}, 'succeeded', wait('to succeed')],
    ['pending', {}, 'completed', wait('to complete')],
    ['starting', {}, 'started', wait('to start')],
    ['starting', PID, 'started', GO],
    ['starting', PID, 'ready', wait('port 5432')],
    ['running', PID, 'started', GO],
    ['ready', PID, 'ready', GO],
    ['ready', PID, 'started', GO],
    ['running', PID, 'succeeded', wait('to succeed')],
    ['ready', PID, 'completed', wait('to complete')],
    ['stopped', {}, 'ready', wait('not started: s starts it')],
    ['stopped', {}, 'succeeded', wait('not started: s starts it')],
    ['backoff', exit(1), 'succeeded', wait('restarting')],
    ['backoff', exit(1), 'started', wait('restarting')],
    ['stopping', {}, 'started', wait('stopping')],
    ['exited', exit(0), 'started', GO],
    ['exited', exit(0), 'succeeded', GO],
    ['exited', exit(0), 'completed', GO],
    ['exited', exit(0), 'ready', blocked('exited before it was ready')],
    ['crashed', exit(1), 'succeeded', blocked('crashed: exit 1')],
    ['crashed', exit(null, 'SIGSEGV'), 'started', blocked('crashed: SIGSEGV')],
    ['crashed', exit(2), 'completed', GO],
    ['failed', exit(1), 'succeeded', blocked('gave up: exit 1')],
    ['failed', { ...exit(null, 'SIGTERM'), reason: 'not ready after 60 s' }, 'ready', blocked('failed: not ready after 60 s')],
    ['failed', exit(1), 'completed', GO],
    ['blocked', { reason: 'migrate crashed: exit 1' }, 'started', blocked('is blocked: migrate crashed: exit 1')],
  ])('db %s %j, condition %s', (status, extra, condition, want) => {
    expect(gate(on(condition, 'port 5432'), [state('web', 'waiting'), state('db', status, extra)])).toEqual(want);
  });

  it('no dependencies, or a dependency with no instance in this run: go', () => {
    expect(gate([], [state('db', 'pending')])).toEqual({ kind: 'go' });
    expect(gate(on('ready'), [state('web', 'waiting')])).toEqual({ kind: 'go' });
  });

  it('an entry means all its instances: the first one not there gives the reason', () => {
    const deps = on('started');
    expect(gate(deps, [state('db.1', 'running', PID), state('db.2', 'pending')])).toEqual({
      kind: 'wait',
      reason: 'waiting for db (to start)',
    });
    expect(gate(deps, [state('db.1', 'running', PID), state('db.2', 'running', PID)])).toEqual({ kind: 'go' });
    expect(gate(deps, [state('db.1', 'running', PID), state('db.2', 'crashed', exit(3))])).toEqual({
      kind: 'blocked',
      reason: 'db crashed: exit 3',
    });
  });

  it('a ready wait without a probe description says so; blocked wins over an earlier wait', () => {
    expect(gate(on('ready'), [state('db', 'starting', PID)])).toEqual({ kind: 'wait', reason: 'waiting for db (to be ready)' });
    const deps: Dependency[] = [
      { entry: 'db', condition: 'ready', probe: 'port 5432' },
      { entry: 'migrate', condition: 'succeeded' },
    ];
    expect(gate(deps, [state('db', 'starting', PID), state('migrate', 'crashed', exit(1))])).toEqual({
      kind: 'blocked',
      reason: 'migrate crashed: exit 1',
    });
    expect(gate(deps, [state('db', 'starting', PID), state('migrate', 'running', PID)])).toEqual({
      kind: 'wait',
      reason: 'waiting for db (port 5432)',
    });
  });
});

describe('stop order: deepest first, one depth per step', () => {
  it.each([
    [{}, []],
    [{ web: 0, db: 0 }, [['web', 'db']]],
    [{ db: 0, migrate: 1, web: 2, worker: 1 }, [['web'], ['migrate', 'worker'], ['db']]],
    [{ a: 3, b: 0 }, [['a'], ['b']]],
  ])('%j → %j', (depths, levels) => {
    const names = Object.keys(depths) as (keyof typeof depths)[];
    expect(stopLevels(names, (n) => depths[n] as number)).toEqual(levels);
  });
});
