/**
 * Copies a run of plain lines of one chunk (line i is bytes[starts[i], ends[i])) into a buffer, each
 * behind a prefix and followed by "\n": what the headless output and the log files write in a flood.
 *
 * - Lines back to back in the chunk, all ended by "\n" or all by "\r\n" (a terminal's), are copied with
 *   one Buffer#copy for the whole run, placed at the end of the space they will take; each line then
 *   moves down into place (copyWithin, which allocates nothing) behind its prefix (set() of a whole
 *   array: V8's fast path). Node 20's Buffer#copy of part of a buffer allocates a view each time: two
 *   or three of them per line cost three times as much, and their garbage more (measured: 74 vs 219
 *   ms per million 71-byte lines behind a 30-byte prefix; copyWithin for the prefixes: 115).
 * - Moving down never overwrites a byte not yet moved: a line takes at least as many bytes in the
 *   output (prefix + text + "\n") as in the chunk (text + terminator).
 * - Other runs (a line carried over from another chunk) are copied line by line.
 */
const LF = 0x0a;
const CR = 0x0d;

/** Lines [from, to) of a chunk that lie back to back in `bytes`, with `gap`-byte terminators between them. */
export interface LineRun {
  bytes: Buffer;
  starts: readonly number[];
  ends: readonly number[];
  from: number;
  to: number;
  gap: number;
}

/** Bytes that lines [from, to) take behind `prefixLength`-byte prefixes, each with its "\n". */
export function prefixedLength(prefixLength: number, starts: readonly number[], ends: readonly number[], from: number, to: number): number {
  let length = (to - from) * (prefixLength + 1);
  for (let i = from; i < to; i++) length += ends[i]! - starts[i]!;
  return length;
}

/** How many lines from `from` on (at most to - from) fit in `room` bytes behind `prefixLength`-byte prefixes. */
export function linesThatFit(
  prefixLength: number,
  starts: readonly number[],
  ends: readonly number[],
  from: number,
  to: number,
  room: number,
): number {
  let length = 0;
  for (let i = from; i < to; i++) {
    length += prefixLength + 1 + ends[i]! - starts[i]!;
    if (length > room) return i - from;
  }
  return to - from;
}

/**
 * Writes lines [from, to) into `target` at `at`, each as prefix, text, "\n"; returns the bytes written
 * (prefixedLength's). The caller made sure they fit.
 */
export function copyPrefixedLines(
  target: Buffer,
  at: number,
  prefix: Buffer,
  bytes: Buffer,
  starts: readonly number[],
  ends: readonly number[],
  from: number,
  to: number,
): number {
  const gap = terminatorLength(bytes, starts, ends, from, to);
  let w = at;
  if (gap === undefined) {
    for (let i = from; i < to; i++) {
      w += prefix.copy(target, w);
      w += bytes.copy(target, w, starts[i], ends[i]);
      target[w++] = LF;
    }
    return w - at;
  }
  // The run's bytes at the end of the space the lines will take, then each line moved down into place.
  let r = at + prefixedLength(prefix.length, starts, ends, from, to) - (ends[to - 1]! - starts[from]!);
  bytes.copy(target, r, starts[from], ends[to - 1]);
  for (let i = from; i < to; i++) {
    target.set(prefix, w);
    w += prefix.length;
    const lineLength = ends[i]! - starts[i]!;
    target.copyWithin(w, r, r + lineLength);
    w += lineLength;
    target[w++] = LF;
    r += lineLength + gap;
  }
  return w - at;
}

/** 1 ("\n") or 2 ("\r\n") when every line of the run but the last ends with it right before the next line (1 for a single line); undefined otherwise. */
export function terminatorLength(
  bytes: Buffer,
  starts: readonly number[],
  ends: readonly number[],
  from: number,
  to: number,
): number | undefined {
  if (to - from < 2) return 1;
  const gap = starts[from + 1]! - ends[from]!;
  if (gap !== 1 && gap !== 2) return undefined;
  for (let i = from; i < to - 1; i++) {
    const end = ends[i]!;
    if (starts[i + 1]! - end !== gap) return undefined;
    if (gap === 1 ? bytes[end] !== LF : bytes[end] !== CR || bytes[end + 1] !== LF) return undefined;
  }
  return gap;
}
