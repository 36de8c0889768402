import type { ControlClient } from '../control/client.js';
import { resolveNames } from '../control/names.js';
import type { ProcessStatusReport } from '../control/target.js';
import { stateText } from './status-text.js';

export type WaitVerdict =
  | { kind: 'ready' }
  | { kind: 'waiting'; on: ProcessStatusReport[] }
  | { kind: 'failed'; process: ProcessStatusReport };

/** Up for good: ready (its probe passed), running (it has none), or a one-shot that exited 0. */
const UP = new Set(['ready', 'running', 'exited']);
/** Will not come up by itself. */
const DOWN = new Set(['failed', 'crashed', 'blocked']);

/**
 * Whether the processes `devrun wait` waits for are all up, one is down for good, or some are still on
 * their way (pending, waiting, starting, restarting, stopping). A stopped process is down when it was
 * named, and left out otherwise (autostart: false ones stay stopped until someone starts them). Pure.
 */
export function waitVerdict(states: readonly ProcessStatusReport[], named: boolean): WaitVerdict {
  const counted = named ? states : states.filter((s) => s.state !== 'stopped');
  const down = counted.find((s) => DOWN.has(s.state) || s.state === 'stopped');
  if (down) return { kind: 'failed', process: down };
  const on = counted.filter((s) => !UP.has(s.state));
  return on.length === 0 ? { kind: 'ready' } : { kind: 'waiting', on };
}

/**
 * `devrun wait [NAMES] --timeout S` (and `start -D --wait`): returns 0 once every process (or NAMES) is
 * up, 1 naming the first that failed or, after the timeout, those still on their way, 3 if the devrun ends.
 */
export async function waitUntilUp(client: ControlClient, wanted: readonly string[], timeoutSeconds: number): Promise<number> {
  const all = (await client.request('status')).processes.map((p) => p.name);
  const resolved = wanted.length > 0 ? resolveNames(all, wanted) : { names: all };
  // An unknown name: the server answers the subscription below with its "did you mean".
  const names = 'names' in resolved ? resolved.names : all;
  const latest = new Map<string, ProcessStatusReport>();
  return new Promise((resolve) => {
    let finished = false;
    const finish = (code: number, message?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (message) process.stderr.write(`devrun: ${message}\n`);
      resolve(code);
    };
    const timer = setTimeout(() => {
      const verdict = waitVerdict([...latest.values()], wanted.length > 0);
      const on = verdict.kind === 'waiting' ? verdict.on.map((p) => `${p.name} ${stateText(p)}`).join(', ') : 'no state yet';
      finish(1, `not ready after ${timeoutSeconds} s: ${on}`);
    }, timeoutSeconds * 1000);
    client
      .subscribe(wanted.length > 0 ? { topic: 'state', names: [...wanted] } : { topic: 'state' }, (event) => {
        const state = event.process as ProcessStatusReport | undefined;
        if (!state || !names.includes(state.name)) return;
        latest.set(state.name, state);
        if (latest.size < names.length) return;
        const verdict = waitVerdict([...latest.values()], wanted.length > 0);
        if (verdict.kind === 'ready') finish(0);
        else if (verdict.kind === 'failed') finish(1, `${verdict.process.name} ${stateText(verdict.process)}`);
      })
      .catch((error: Error) => finish(1, error.message));
    void client.ended.then(() => finish(3, 'the devrun it waited on ended'));
  });
}
