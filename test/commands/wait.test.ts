import { describe, expect, it } from 'vitest';
import { waitVerdict } from '../../src/commands/wait.js';
import type { ProcessStatusReport } from '../../src/control/target.js';

const p = (name: string, state: string, reason: string | null = null): ProcessStatusReport => ({
  name,
  state,
  reason,
  pid: null,
  restarts: 0,
  cpu: null,
  rss: null,
  startedAt: null,
  exit: null,
});

describe('devrun wait: all up, one down for good, or still on their way', () => {
  it.each<[string, ProcessStatusReport[], boolean, string]>([
    ['ready, running and a one-shot that exited 0 are up', [p('db.1', 'ready'), p('web.1', 'running'), p('m.1', 'exited')], false, 'ready'],
    [
      'starting and waiting are on their way',
      [p('db.1', 'starting'), p('web.1', 'waiting', 'waiting for db (port 5432)')],
      false,
      'waiting db.1,web.1',
    ],
    ['restarting and pending too', [p('db.1', 'backoff'), p('web.1', 'pending')], false, 'waiting db.1,web.1'],
    ['blocked is down', [p('m.1', 'ready'), p('web.1', 'blocked', 'm crashed: exit 1')], false, 'failed web.1'],
    ['crashed and failed are down', [p('db.1', 'failed', 'not ready after 60 s'), p('web.1', 'crashed')], false, 'failed db.1'],
    ['a stopped process not named is left out', [p('db.1', 'stopped'), p('web.1', 'running')], false, 'ready'],
    ['a stopped process named is down', [p('db.1', 'stopped'), p('web.1', 'running')], true, 'failed db.1'],
  ])('%s', (_name, states, named, want) => {
    const verdict = waitVerdict(states, named);
    const got =
      verdict.kind === 'ready'
        ? 'ready'
        : verdict.kind === 'failed'
          ? `failed ${verdict.process.name}`
          : `waiting ${verdict.on.map((s) => s.name).join(',')}`;
    expect(got).toBe(want);
  });
});
