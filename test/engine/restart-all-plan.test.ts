import { describe, expect, it } from 'vitest';
import type { ProcessStatus } from '../../src/engine/process-state.js';
import { describeRestartAll, restartAllPlan } from '../../src/engine/restart-all-plan.js';
import { state } from '../components/rows.js';

describe('restartAllPlan (R)', () => {
  it.each<[ProcessStatus, 'restart' | 'stopped' | 'finished' | 'stopping']>([
    ['running', 'restart'],
    ['ready', 'restart'],
    ['starting', 'restart'],
    ['crashed', 'restart'],
    ['failed', 'restart'],
    ['backoff', 'restart'],
    ['waiting', 'restart'],
    ['blocked', 'restart'],
    ['pending', 'restart'],
    ['stopped', 'stopped'],
    ['exited', 'finished'],
    ['stopping', 'stopping'],
  ])('a %s process: %s', (status, expected) => {
    const plan = restartAllPlan([state('p.1', 0, { status })]);
    if (expected === 'restart') expect(plan).toEqual({ restart: ['p.1'], left: [] });
    else expect(plan).toEqual({ restart: [], left: [{ name: 'p.1', why: expected }] });
  });

  it('says what it did in one line', () => {
    const states = [
      state('web.1', 0),
      state('migrate.1', 1, { status: 'exited' }),
      state('worker.1', 2, { status: 'crashed' }),
      state('admin.1', 3, { status: 'stopped' }),
    ];
    expect(describeRestartAll(restartAllPlan(states))).toBe('restarted 2; left migrate.1 (finished), admin.1 (stopped)');
    expect(describeRestartAll(restartAllPlan([state('web.1', 0)]))).toBe('restarted 1');
  });
});
