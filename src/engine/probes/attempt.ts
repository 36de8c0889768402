import type { ProbeCheck } from '../../config/settings/types.js';
import { httpAnswers } from './http.js';
import { portAccepts } from './port.js';

/** The probes tried by polling (a log probe watches lines instead). */
export type PolledCheck = Exclude<ProbeCheck, { kind: 'log' }>;

/** One try of a polled probe: true when it passed within timeoutMs. */
export type ProbeAttempt = (check: PolledCheck, timeoutMs: number) => Promise<boolean>;

export const attemptProbe: ProbeAttempt = (check, timeoutMs) =>
  check.kind === 'port' ? portAccepts(check.port, timeoutMs) : httpAnswers(check.url, check.status, timeoutMs);
