import { BLOCK_BYTES, LineBlock } from './line-block.js';
import type { LineRun } from './line-run.js';
import type { LogLine } from './log-store.js';

/**
 * The newest lines of a log, bounded by a line count and a byte budget, stored as bytes in LineBlocks:
 * a line becomes a LogLine object (and its text a string) only when it is read. Rules:
 * - Indexes run from 0 (the oldest line kept) to size - 1; negative indexes count from the newest, as
 *   in Array.prototype.at, and slice has Array.prototype.slice semantics.
 * - The byte budget counts UTF-8 bytes of text. The newest line always stays, even when it alone is
 *   over the budget (shown rather than lost).
 * - Process names are ids into a table shared with the LogStore (the merged ring holds many processes).
 */

export const STREAMS: readonly LogLine['stream'][] = ['stdout', 'stderr', 'system', 'input'];
const STREAM_CODES: Record<LogLine['stream'], number> = { stdout: 0, stderr: 1, system: 2, input: 3 };

export function streamCode(stream: LogLine['stream']): number {
  return STREAM_CODES[stream];
}

export class LineRing {
  private blocks: LineBlock[] = [];
  /** Running number of the oldest line kept; lines of blocks[0] before it are evicted. */
  private oldest = 0;
  /** Running number the next line gets. */
  private next = 0;
  private bytes = 0;
  /** A block whose lines were all evicted, kept to take the next lines (no allocation in a flood). */
  private spare: LineBlock | undefined;

  constructor(
    readonly capacity: number,
    private readonly maxBytes: number,
    private readonly names: readonly string[],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.next - this.oldest;
  }

  /** Appends a line whose text is the UTF-8 bytes `source[start, end)` (copied). */
  push(seq: number, ts: number, stream: number, proc: number, source: Uint8Array, start: number, end: number): void {
    this.blockFor(end - start).add(seq, ts, stream, proc, source, start, end);
    this.added(end - start);
  }

  /** Appends the run's lines, seqs `seq` on: as many at once as each block takes. */
  pushRun(seq: number, ts: number, stream: number, proc: number, run: LineRun): void {
    const { starts, ends } = run;
    for (let i = run.from; i < run.to; ) {
      const block = this.blockFor(ends[i]! - starts[i]!);
      const n = block.linesThatFit(run, i);
      block.addRun(seq, ts, stream, proc, run, i, i + n);
      for (let k = i; k < i + n; k++) this.added(ends[k]! - starts[k]!);
      seq += n;
      i += n;
    }
  }

  pushString(seq: number, ts: number, stream: number, proc: number, text: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    this.blockFor(bytes).addString(seq, ts, stream, proc, text, bytes);
    this.added(bytes);
  }

  /** Appends line `index` of another ring, bytes copied as they are. */
  pushFrom(ring: LineRing, index: number): void {
    const [block, i] = ring.locate(index);
    const raw = block.raw(i);
    this.push(block.seq(i), block.ts(i), block.stream(i), block.proc(i), raw, 0, raw.length);
  }

  at(index: number): LogLine | undefined {
    const i = index < 0 ? this.size + index : index;
    if (i < 0 || i >= this.size) return undefined;
    const [block, k] = this.locate(i);
    return {
      seq: block.seq(k),
      ts: block.ts(k),
      proc: this.names[block.proc(k)]!,
      stream: STREAMS[block.stream(k)]!,
      text: block.textOf(k),
    };
  }

  /** The seq of line `index` (0 ≤ index < size), without building the line. */
  seqAt(index: number): number {
    const [block, k] = this.locate(index);
    return block.seq(k);
  }

  /** The process name of line `index` (0 ≤ index < size), without building the line. */
  procName(index: number): string {
    return this.names[this.procAt(index)]!;
  }

  /** The process id of line `index` (0 ≤ index < size). */
  procAt(index: number): number {
    const [block, k] = this.locate(index);
    return block.proc(k);
  }

  slice(start = 0, end = this.size): LogLine[] {
    const from = clampIndex(start, this.size);
    const to = clampIndex(end, this.size);
    const out: LogLine[] = [];
    for (let i = from; i < to; i++) out.push(this.at(i)!);
    return out;
  }

  toArray(): LogLine[] {
    return this.slice();
  }

  clear(): void {
    this.blocks = [];
    this.spare = undefined;
    this.oldest = this.next;
    this.bytes = 0;
  }

  /** The block holding line `index` (0 ≤ index < size) and the line's index in it. */
  private locate(index: number): [LineBlock, number] {
    const n = this.oldest + index;
    const blocks = this.blocks;
    // Most reads are near the newest lines (a pane that follows): try the last block first.
    let lo = blocks.length - 1;
    if (n < blocks[lo]!.first) {
      let hi = lo - 1;
      lo = 0;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (blocks[mid]!.first <= n) lo = mid;
        else hi = mid - 1;
      }
    }
    const block = blocks[lo]!;
    return [block, n - block.first];
  }

  private blockFor(bytes: number): LineBlock {
    const last = this.blocks[this.blocks.length - 1];
    if (last?.fits(bytes)) return last;
    last?.seal();
    const spare = this.spare;
    this.spare = undefined;
    let block: LineBlock;
    if (spare && bytes <= BLOCK_BYTES) {
      spare.reset(this.next);
      block = spare;
    } else block = new LineBlock(this.next, last !== undefined, bytes);
    this.blocks.push(block);
    return block;
  }

  private added(bytes: number): void {
    this.next++;
    this.bytes += bytes;
    while (this.size > this.capacity || (this.bytes > this.maxBytes && this.size > 1)) this.evictOldest();
  }

  private evictOldest(): void {
    const block = this.blocks[0]!;
    this.bytes -= block.bytes(this.oldest - block.first);
    this.oldest++;
    if (this.oldest === block.first + block.count && this.blocks.length > 1) {
      this.blocks.shift();
      if (block.reusable) this.spare = block;
    }
  }
}

function clampIndex(index: number, size: number): number {
  const i = index < 0 ? size + index : index;
  return Math.min(Math.max(Math.trunc(i) || 0, 0), size);
}
