/**
 * Frame flow control, the decision (pure; src/state/frame-gate.ts applies it): after each frame devrun
 * asks the terminal a question it answers only once it has processed the frame, and the next frame may
 * go when every answer is in, or when the terminal has been silent this long after the last question
 * (a terminal that never answers must not freeze the screen). Over a slow link this keeps at most one
 * frame in flight instead of queueing frames in ssh's and TCP's buffers.
 */
export const REPLY_TIMEOUT_MS = 300;

/** Questions asked and not yet answered, and when the last one was asked. */
export interface Flight {
  awaiting: number;
  askedAt: number;
}

export const NOTHING_IN_FLIGHT: Flight = { awaiting: 0, askedAt: 0 };

export const asked = (flight: Flight, now: number): Flight => ({ awaiting: flight.awaiting + 1, askedAt: now });

/** An answer came. A late one (after the timeout let a frame go) counts too: it settles an older question. */
export const answered = (flight: Flight): Flight => ({ ...flight, awaiting: Math.max(0, flight.awaiting - 1) });

/** When the next frame may go: now when nothing is in flight, else at the last question's timeout. */
export function nextFrameAt(flight: Flight, timeoutMs = REPLY_TIMEOUT_MS): number {
  return flight.awaiting === 0 ? Number.NEGATIVE_INFINITY : flight.askedAt + timeoutMs;
}
