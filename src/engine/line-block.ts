import type { LineRun } from './line-run.js';

/**
 * A run of consecutive log lines stored compactly: their UTF-8 text back to back in one Buffer (outside
 * the JS heap) and their seq, time, stream and process id in typed arrays; no object and no string per
 * line. Rules:
 * - Lines are only appended, never changed; a LineRing drops whole blocks once all their lines are evicted.
 * - A ring's first block starts small and doubles (text up to BLOCK_BYTES, metadata up to BLOCK_LINES),
 *   so a process that printed three lines costs a few hundred bytes, not a full block; the blocks after
 *   it start full size.
 * - A full block is sealed: storage more than a quarter unused is trimmed to what its lines use, so a
 *   block of short lines does not keep its unused text room, nor one of long lines its metadata room.
 * - A block that still has full-size storage can be reset and reused once its lines are evicted, so a
 *   ring that floods in steady state allocates nothing.
 * - A single line longer than BLOCK_BYTES gets a block of its own, sized to fit.
 */

export const BLOCK_LINES = 1024;
export const BLOCK_BYTES = 64 * 1024;
const FIRST_LINES = 16;
const FIRST_BYTES = 1024;

export class LineBlock {
  /** Line i's text is text[i === 0 ? 0 : ends[i - 1], ends[i]). */
  private text: Buffer;
  private ends: Uint32Array;
  private seqs: Float64Array;
  private tss: Float64Array;
  private streams: Uint8Array;
  private procs: Uint32Array;
  private used = 0;
  count = 0;

  /**
   * `first`: the ring's running number of this block's first line. `full`: start with full-size storage
   * (a busy ring); `bytes`: at least this much text room (a line longer than a block).
   */
  constructor(
    public first: number,
    full: boolean,
    bytes = 0,
  ) {
    const lines = full ? BLOCK_LINES : FIRST_LINES;
    this.text = Buffer.allocUnsafeSlow(Math.max(full ? BLOCK_BYTES : FIRST_BYTES, bytes));
    this.ends = new Uint32Array(lines);
    this.seqs = new Float64Array(lines);
    this.tss = new Float64Array(lines);
    this.streams = new Uint8Array(lines);
    this.procs = new Uint32Array(lines);
  }

  /** Whether its storage is full size (not grown yet, nor trimmed): worth reusing. */
  get reusable(): boolean {
    return this.text.length === BLOCK_BYTES && this.ends.length === BLOCK_LINES;
  }

  /** Empties it to take lines from running number `first` on, in the same storage. */
  reset(first: number): void {
    this.first = first;
    this.count = 0;
    this.used = 0;
  }

  /** Whether a line of `bytes` bytes goes in this block (an empty block takes any line). */
  fits(bytes: number): boolean {
    return this.count === 0 || (this.count < BLOCK_LINES && this.used + bytes <= BLOCK_BYTES);
  }

  /** Appends a line whose text is `source[start, end)`; the caller checked `fits`. */
  add(seq: number, ts: number, stream: number, proc: number, source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.reserve(length);
    this.text.set(source.subarray(start, end), this.used);
    this.record(seq, ts, stream, proc, length);
  }

  /** How many of the run's lines from `from` on go in this block together, terminators counted (at least one when it is empty). */
  linesThatFit({ starts, ends, to, gap }: LineRun, from: number): number {
    const lines = Math.min(to - from, BLOCK_LINES - this.count);
    let bytes = this.used;
    for (let n = 0; n < lines; n++) {
      bytes += ends[from + n]! - starts[from + n]! + (n > 0 ? gap : 0);
      if (bytes > BLOCK_BYTES) return this.count === 0 ? Math.max(n, 1) : n;
    }
    return lines;
  }

  /**
   * Appends the run's lines [from, to), seqs `seq` on (linesThatFit said they go in): one copy for all
   * of them, then each line moved down over the terminators before it (copyWithin allocates nothing; a
   * copy of part of a buffer makes a view).
   */
  addRun(seq: number, ts: number, stream: number, proc: number, { bytes, starts, ends, gap }: LineRun, from: number, to: number): void {
    this.reserve(ends[to - 1]! - starts[from]!, to - from);
    bytes.copy(this.text, this.used, starts[from], ends[to - 1]);
    let r = this.used;
    for (let i = from; i < to; i++) {
      const length = ends[i]! - starts[i]!;
      if (r !== this.used) this.text.copyWithin(this.used, r, r + length);
      r += length + gap;
      this.record(seq++, ts, stream, proc, length);
    }
  }

  /** Appends a line given as a string; `bytes` is its UTF-8 length. */
  addString(seq: number, ts: number, stream: number, proc: number, text: string, bytes: number): void {
    this.reserve(bytes);
    this.text.write(text, this.used, bytes, 'utf8');
    this.record(seq, ts, stream, proc, bytes);
  }

  seq(i: number): number {
    return this.seqs[i]!;
  }

  ts(i: number): number {
    return this.tss[i]!;
  }

  stream(i: number): number {
    return this.streams[i]!;
  }

  proc(i: number): number {
    return this.procs[i]!;
  }

  start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  bytes(i: number): number {
    return this.ends[i]! - this.start(i);
  }

  textOf(i: number): string {
    return this.text.toString('utf8', this.start(i), this.ends[i]);
  }

  /** The bytes of line i: a view, valid while the block lives (for copying into another ring). */
  raw(i: number): Buffer {
    return this.text.subarray(this.start(i), this.ends[i]);
  }

  /** The block takes no more lines: storage more than a quarter unused is trimmed to what they use. */
  seal(): void {
    if (this.used < this.text.length * 0.75) this.text = copyBytes(this.text, this.used);
    if (this.count < this.ends.length * 0.75) {
      this.ends = this.ends.slice(0, this.count);
      this.seqs = this.seqs.slice(0, this.count);
      this.tss = this.tss.slice(0, this.count);
      this.streams = this.streams.slice(0, this.count);
      this.procs = this.procs.slice(0, this.count);
    }
  }

  /** Room for `bytes` more bytes of text and `lines` more lines. */
  private reserve(bytes: number, lines = 1): void {
    if (this.used + bytes > this.text.length) {
      let size = this.text.length * 2;
      while (size < this.used + bytes) size *= 2;
      this.text = copyBytes(this.text, this.used, Math.min(size, Math.max(BLOCK_BYTES, this.used + bytes)));
    }
    if (this.count + lines > this.ends.length) {
      let size = this.ends.length * 2;
      while (size < this.count + lines) size *= 2;
      size = Math.min(BLOCK_LINES, size);
      this.ends = grow(this.ends, new Uint32Array(size));
      this.seqs = grow(this.seqs, new Float64Array(size));
      this.tss = grow(this.tss, new Float64Array(size));
      this.streams = grow(this.streams, new Uint8Array(size));
      this.procs = grow(this.procs, new Uint32Array(size));
    }
  }

  private record(seq: number, ts: number, stream: number, proc: number, bytes: number): void {
    const i = this.count++;
    this.used += bytes;
    this.ends[i] = this.used;
    this.seqs[i] = seq;
    this.tss[i] = ts;
    this.streams[i] = stream;
    this.procs[i] = proc;
  }
}

/** The first `used` bytes of `buffer` in a buffer of its own of `size` bytes (not a slice of Node's pool). */
function copyBytes(buffer: Buffer, used: number, size = used): Buffer {
  const copy = Buffer.allocUnsafeSlow(size);
  buffer.copy(copy, 0, 0, used);
  return copy;
}

function grow<T extends Uint32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
