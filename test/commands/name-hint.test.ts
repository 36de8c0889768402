import { describe, expect, it } from 'vitest';
import { unknownNameHint } from '../../src/commands/name-hint.js';
import type { ProcessSpec, ProcfileEntry } from '../../src/config/types.js';

const entries: ProcfileEntry[] = ['web', 'worker', 'css'].map((name, i) => ({ name, command: 'x', line: i + 1 }));
const spec = (entry: string, instance: number): ProcessSpec => ({
  name: `${entry}.${instance}`,
  entry,
  index: 0,
  instance,
  command: 'x',
  port: 5000,
});
const specs = [spec('web', 1), spec('web', 2), spec('worker', 1)];

describe('unknownNameHint', () => {
  it.each([
    ['wbe', 'no process named "wbe": did you mean "web"? The Procfile has web, worker, css'],
    ['wroker', 'no process named "wroker": did you mean "worker"? The Procfile has web, worker, css'],
    ['database', 'no process named "database"; the Procfile has web, worker, css'],
    ['web.3', 'no process named "web.3": the formation runs 2 web processes; -m web=3 runs web.1 to web.3'],
    ['worker.2', 'no process named "worker.2": the formation runs 1 worker process; -m worker=2 runs worker.1 to worker.2'],
    // An entry the formation turned off has no process at all.
    ['css.1', 'no process named "css.1": the formation runs 0 css processes; -m css=1 runs it'],
    ['api.2', 'no process named "api.2"; the Procfile has web, worker, css'],
  ])('%s', (name, hint) => {
    expect(unknownNameHint(name, specs, entries)).toBe(hint);
  });
});
