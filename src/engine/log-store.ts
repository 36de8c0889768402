/**
 * Bounded log history: one ring per process plus one merged ring, so memory stays flat however much
 * the children print. Each ring drops its oldest lines when it holds more than `capacity` lines or more
 * than `maxBytesPerRing` of text (counted as string length).
 */

import { LineBatch, type LineContent, textContent } from './line-batch.js';

export interface LogLine {
  /** Increases by one per appended line across all processes: the merged order and a React key. */
  readonly seq: number;
  readonly ts: number;
  readonly proc: string;
  /** input: a line the user sent to the process, echoed so prompts stay readable. */
  readonly stream: 'stdout' | 'stderr' | 'system' | 'input';
  readonly text: string;
}

/** Fixed-capacity ring over a preallocated array: O(1) push and indexed access, oldest first. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0; // slot of the oldest item
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the newest item; when full, drops the oldest and returns it. */
  push(item: T): T | undefined {
    if (this.count < this.capacity) {
      this.items[(this.head + this.count) % this.capacity] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const oldest = this.items[this.head];
    this.items[this.head] = undefined; // let it be collected
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return oldest;
  }

  /** 0 is the oldest; negative indexes count back from the newest (-1), like Array.prototype.at. */
  at(index: number): T | undefined {
    const i = index < 0 ? this.count + index : index;
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.head + i) % this.capacity];
  }

  /** Items [start, end) oldest first, with Array.prototype.slice semantics; for a visible window. */
  slice(start = 0, end = this.count): T[] {
    const from = clampIndex(start, this.count);
    const to = clampIndex(end, this.count);
    const out: T[] = [];
    for (let i = from; i < to; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    return out;
  }

  toArray(): T[] {
    return this.slice();
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}

function clampIndex(index: number, size: number): number {
  const i = index < 0 ? size + index : index;
  return Math.min(Math.max(Math.trunc(i) || 0, 0), size);
}

/** A ring of lines that also keeps its text within a byte budget. */
class BoundedLog {
  readonly lines: RingBuffer<LogLine>;
  private bytes = 0;

  constructor(
    capacity: number,
    private readonly maxBytes: number,
  ) {
    this.lines = new RingBuffer<LogLine>(capacity);
  }

  push(line: LogLine): void {
    const evicted = this.lines.push(line);
    this.bytes += line.text.length - (evicted?.text.length ?? 0);
    // The newest line always stays, so one line larger than the budget is shown rather than lost.
    while (this.bytes > this.maxBytes && this.lines.size > 1) {
      this.bytes -= this.lines.shift()?.text.length ?? 0;
    }
  }

  clear(): void {
    this.lines.clear();
    this.bytes = 0;
  }
}

export interface LogStoreOptions {
  /** Most lines per ring (each process, and the merged view). Default 10000. */
  capacity?: number;
  /** Most text per ring, counted as string length. Default 8 MiB. */
  maxBytesPerRing?: number;
}

export class LogStore {
  private readonly capacity: number;
  private readonly maxBytesPerRing: number;
  private readonly merged: BoundedLog;
  private readonly byProc = new Map<string, BoundedLog>();
  /** Returned for a process that never printed; never written to. */
  private readonly empty = new RingBuffer<LogLine>(1);
  private lastSeq = 0;

  constructor(options: LogStoreOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.maxBytesPerRing = options.maxBytesPerRing ?? 8 * 1024 * 1024;
    this.merged = new BoundedLog(this.capacity, this.maxBytesPerRing);
  }

  append(proc: string, stream: LogLine['stream'], text: string, ts: number = Date.now()): LogLine {
    return this.appendBatch(proc, stream, textContent([text]), ts).lines()[0]!;
  }

  /** Appends one batch of lines of one process: seqs follow on, the batch says which. */
  appendBatch(proc: string, stream: LogLine['stream'], content: LineContent, ts: number = Date.now()): LineBatch {
    const batch = new LineBatch(proc, stream, ts, this.lastSeq + 1, content);
    this.lastSeq += batch.count;
    for (const line of batch.lines()) this.push(line);
    return batch;
  }

  private push(line: LogLine): void {
    const { proc } = line;
    let log = this.byProc.get(proc);
    if (log === undefined) {
      log = new BoundedLog(this.capacity, this.maxBytesPerRing);
      this.byProc.set(proc, log);
    }
    log.push(line);
    this.merged.push(line);
  }

  /** One process's lines, or the merged view when proc is undefined. Read-only: append via the store. */
  lines(proc?: string): RingBuffer<LogLine> {
    if (proc === undefined) return this.merged.lines;
    return this.byProc.get(proc)?.lines ?? this.empty;
  }

  /**
   * Clears one process (its ring and its lines in the merged view) or everything. The merged ring is
   * rebuilt without that process's lines: O(capacity) on a rare user action, which keeps reads (hot,
   * every frame) plain indexed access instead of filtering a watermark on each read.
   */
  clear(proc?: string): void {
    if (proc === undefined) {
      for (const log of this.byProc.values()) log.clear();
      this.merged.clear();
    } else {
      this.byProc.get(proc)?.clear();
      const kept = this.merged.lines.toArray().filter((line) => line.proc !== proc);
      this.merged.clear();
      for (const line of kept) this.merged.push(line);
    }
  }
}
