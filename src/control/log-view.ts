import type { LogLine, LogStore } from '../engine/log-store.js';
import { stripAnsi } from '../engine/sanitize.js';
import type { LogScope, LogWindow } from './process-control.js';

/**
 * Pure functions over a LogStore's rings, run where the rings live ("server side"): LocalControl answers
 * window, scroll and search requests with them; a dashboard never reads the rings itself.
 */

/** The lines the log pane scrolls over: one process's ring, the merged ring, or a filtered copy of it. */
export interface LogView {
  readonly size: number;
  at(index: number): LogLine | undefined;
  /** The seq of line `index` (0 ≤ index < size) without building the line (the rings keep bytes). */
  seqAt(index: number): number;
}

export function logView(logs: LogStore, scope: LogScope): LogView {
  if (scope.kind === 'process') return logs.lines(scope.name);
  const merged = logs.lines();
  if (scope.only === null) return merged;
  const only = new Set(scope.only);
  // Filtering lists the indexes of at most one ring (10k lines by default), reading only each line's
  // process: cheap next to a frame's layout.
  const kept: number[] = [];
  for (let i = 0; i < merged.size; i++) if (only.has(merged.procName(i))) kept.push(i);
  return {
    size: kept.length,
    at: (i) => (i >= 0 && i < kept.length ? merged.at(kept[i]!) : undefined),
    seqAt: (i) => merged.seqAt(kept[i]!),
  };
}

/** Index of the bottom line: the last one when following, else the newest line with seq <= anchor. */
export function bottomIndex(view: LogView, anchorSeq: number | null): number {
  if (anchorSeq === null || view.size === 0) return view.size - 1;
  let lo = 0;
  let hi = view.size - 1;
  if (view.seqAt(0) > anchorSeq) return Math.min(view.size - 1, 0);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (view.seqAt(mid) <= anchorSeq) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export type VisibleWindow = LogWindow;

/** The `height` lines that end at the anchor: the only lines ever handed to React. */
export function visibleWindow(view: LogView, anchorSeq: number | null, height: number): VisibleWindow {
  const bottom = Math.max(bottomIndex(view, anchorSeq), Math.min(height, view.size) - 1);
  const start = Math.max(0, bottom - height + 1);
  const lines: LogLine[] = [];
  for (let i = start; i <= bottom; i++) lines.push(view.at(i)!);
  const below = view.size - 1 - bottom;
  return { lines, following: anchorSeq === null || below === 0, below };
}

/** The anchor after scrolling `delta` lines (negative: up, towards older lines); null once at the end. */
export function scrolledAnchor(view: LogView, anchorSeq: number | null, delta: number, height: number): number | null {
  if (view.size === 0) return null;
  const top = Math.min(height, view.size) - 1;
  const bottom = Math.max(top, Math.min(view.size - 1, bottomIndex(view, anchorSeq) + delta));
  return bottom >= view.size - 1 ? null : view.seqAt(bottom);
}

/** The anchor showing the oldest line at the top. */
export function topAnchor(view: LogView, height: number): number | null {
  return scrolledAnchor(view, 0, 0, height);
}

/**
 * Nearest line containing `query` (case-insensitive, colours ignored) older or newer than the current
 * match (or than the bottom line when there is none). Returns the match and the anchor that puts it
 * mid-pane, or undefined when there is no further match.
 */
export function findMatch(
  view: LogView,
  position: { anchorSeq: number | null; matchSeq: number | null },
  query: string,
  direction: 'older' | 'newer',
  height: number,
): { matchSeq: number; anchorSeq: number | null } | undefined {
  if (!query || view.size === 0) return undefined;
  const needle = query.toLowerCase();
  const step = direction === 'older' ? -1 : 1;
  let from: number;
  if (position.matchSeq !== null) {
    from = bottomIndex(view, position.matchSeq);
    // The match may have left the view (filtered out, cleared, evicted): then the line at `from` is
    // not the match but its nearest neighbour, and is itself a candidate.
    const seq = view.seqAt(from);
    if (direction === 'older' && seq < position.matchSeq) from += 1;
    if (direction === 'newer' && seq > position.matchSeq) from -= 1;
  } else from = direction === 'older' ? bottomIndex(view, position.anchorSeq) + 1 : bottomIndex(view, position.anchorSeq);
  for (let i = from + step; i >= 0 && i < view.size; i += step) {
    const line = view.at(i)!;
    if (lineMatches(line, needle)) {
      return { matchSeq: line.seq, anchorSeq: scrolledAnchor(view, line.seq, Math.floor(height / 2), height) };
    }
  }
  return undefined;
}

export function lineMatches(line: LogLine, lowerQuery: string): boolean {
  return stripAnsi(line.text).toLowerCase().includes(lowerQuery);
}

/** Seqs of every line containing `query` (as findMatch matches), oldest first. */
export function allMatches(view: LogView, query: string): number[] {
  if (!query) return [];
  const needle = query.toLowerCase();
  const seqs: number[] = [];
  for (let i = 0; i < view.size; i++) {
    const line = view.at(i)!;
    if (lineMatches(line, needle)) seqs.push(line.seq);
  }
  return seqs;
}

/** The whole lines with seq in [fromSeq, toSeq], colours removed, one per line. */
export function plainText(view: LogView, fromSeq: number, toSeq: number): string {
  const texts: string[] = [];
  if (view.size === 0) return '';
  // bottomIndex finds the newest line <= a seq: start just after the newest line before fromSeq.
  let i = view.seqAt(0) >= fromSeq ? 0 : bottomIndex(view, fromSeq - 1) + 1;
  for (; i < view.size && view.seqAt(i) <= toSeq; i++) texts.push(stripAnsi(view.at(i)!.text));
  return texts.join('\n');
}
