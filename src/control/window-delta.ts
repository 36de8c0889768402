import type { LogView } from './log-view.js';
import { bottomIndex } from './log-view.js';
import type { LogLine, LogWindow } from './process-control.js';

/**
 * A window sent as the lines after the one the client already has (protocol.ts, `window` with `have`):
 * a pane that follows a trickle of lines costs the new lines, not a pane of them.
 *
 * - The client says what it holds: the seqs of its window's first and last lines, and how many lines
 *   it holds (`have`). It holds a window of the same scope only, as last answered.
 * - The server answers a delta when the client can build the new window from what it holds: the new
 *   window contains the client's last line, starts no earlier than its first, and the view still holds
 *   exactly `count` lines from the first to the last. Lines only leave a view at its oldest end or by
 *   a clear, and new ones only come after its newest, so that count proves the client's lines are the
 *   view's lines between the two (a clear in between, or lines that fell out of the ring, break it).
 * - The delta is `keep` (how many of the client's last lines stay, from its last line back) and the
 *   lines after them; `following` and `below` are sent whole. Otherwise the window goes out whole.
 */

/** What a client holds: its window's first and last seqs and its number of lines. */
export interface HeldWindow {
  first: number;
  last: number;
  count: number;
}

/** A window answer: whole, or (with `keep`) the lines after the client's last `keep` lines. */
export interface WindowAnswer extends LogWindow {
  keep?: number;
}

/** What the client holds of `window`, or undefined when it holds no line. */
export function heldOf(window: LogWindow): HeldWindow | undefined {
  const first = window.lines[0];
  const last = window.lines.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return { first: first.seq, last: last.seq, count: window.lines.length };
}

/** The delta of `window` (just computed from `view`) against what the client holds; undefined: send it whole. */
export function windowDelta(view: LogView, window: LogWindow, held: HeldWindow): WindowAnswer | undefined {
  const { lines } = window;
  let at = lines.length - 1;
  while (at >= 0 && lines[at]!.seq !== held.last) at--;
  if (at === -1 || lines[0]!.seq < held.first || !holdsExactly(view, held)) return undefined;
  return { lines: lines.slice(at + 1), following: window.following, below: window.below, keep: at + 1 };
}

/** The view holds the lines `first` and `last`, and `count` lines from one to the other. */
function holdsExactly(view: LogView, { first, last, count }: HeldWindow): boolean {
  const from = bottomIndex(view, first);
  const to = bottomIndex(view, last);
  return view.size > 0 && view.seqAt(from) === first && view.seqAt(to) === last && to - from + 1 === count;
}

/**
 * The window an answer describes, given the window the client held when it asked (the request's
 * `have`); throws on an answer that does not fit it (a `keep` without a window, or longer than it).
 */
export function spliceWindow(held: LogWindow | undefined, answer: WindowAnswer): LogWindow {
  const { lines, following, below, keep } = answer;
  if (keep === undefined) return { lines, following, below };
  const have = held?.lines ?? [];
  if (!Number.isSafeInteger(keep) || keep < 0 || keep > have.length) {
    throw new Error(`a window answer keeps ${keep} lines of the ${have.length} held`);
  }
  const kept: LogLine[] = keep === 0 ? [] : have.slice(have.length - keep);
  return { lines: kept.concat(lines), following, below };
}
