import type { ProcessState } from '../../src/engine/process-state.js';

/** A ProcessState with defaults, for component and selector tests. */
export function state(name: string, index: number, over: Partial<ProcessState> = {}): ProcessState {
  return {
    name,
    entry: name.split('.')[0]!,
    index,
    command: 'true',
    port: 5000 + index * 100,
    status: 'running',
    pid: 1000 + index,
    restarts: 0,
    startedAt: 0,
    restartAt: undefined,
    lastExit: undefined,
    reason: undefined,
    ...over,
  };
}

/** Frame text without colour codes; newlines kept (the engine's stripAnsi drops every control char). */
export const plain = (frame: string | undefined): string => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');
