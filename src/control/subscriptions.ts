/**
 * The queues between devrun and a subscriber (protocol.ts, "Streams"): what waits in devrun for a
 * reader that is behind. Pushing never blocks and never grows a queue past its bound: the oldest lines
 * (or raw bytes) are dropped and counted, and the count goes out as one `skipped` event before what
 * follows the gap. State is coalesced per process instead (the latest state is all a reader needs).
 */
import { wireLines } from './line-batch.js';
import type { EventBody } from './protocol.js';
import type { LogLineReport, ProcessStatusReport } from './target.js';

export interface EventQueue {
  /** The next event to send, its payload about `budget` bytes at most; undefined when empty. */
  next(budget: number): EventBody | undefined;
  /** Bytes held, approximately (text as string length, plus a per-item overhead). */
  readonly bytes: number;
  readonly empty: boolean;
}

export interface QueueLimits {
  maxItems: number;
  maxBytes: number;
}

/** What a line costs beyond its text: the object and its JSON fields. */
const LINE_OVERHEAD = 64;
/** Lines in one event at most. */
const LINES_PER_EVENT = 1000;

const lineCost = (line: LogLineReport): number => line.text.length + LINE_OVERHEAD;

/** A FIFO over an array with a moving head: O(1) push and shift, compacted as it drains. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Replaces the oldest item. */
  setFirst(item: T): void {
    this.items[this.head] = item;
  }
}

/**
 * A FIFO bounded by item count and cost: pushing past either limit drops the oldest items (never the
 * newest), and what was dropped is counted (`weight`: lines for logs, bytes for raw output) until the
 * next `takeSkipped`.
 */
class BoundedFifo<T> {
  private readonly fifo = new Fifo<T>();
  /** Cost held, as `cost` counts it. */
  held = 0;
  private skipped = 0;
  /** Weight dropped over the queue's life (diagnostics, tests). */
  droppedTotal = 0;

  constructor(
    private readonly limits: QueueLimits,
    private readonly cost: (item: T) => number,
    private readonly weight: (item: T) => number,
  ) {}

  get size(): number {
    return this.fifo.size;
  }

  get empty(): boolean {
    return this.fifo.size === 0 && this.skipped === 0;
  }

  push(item: T): void {
    this.fifo.push(item);
    this.held += this.cost(item);
    while ((this.fifo.size > this.limits.maxItems || this.held > this.limits.maxBytes) && this.fifo.size > 1) {
      const oldest = this.fifo.shift()!;
      this.held -= this.cost(oldest);
      this.drop(this.weight(oldest));
    }
  }

  drop(weight: number): void {
    this.skipped += weight;
    this.droppedTotal += weight;
  }

  /** What was dropped since the last call (0 when nothing was). */
  takeSkipped(): number {
    const skipped = this.skipped;
    this.skipped = 0;
    return skipped;
  }

  peek(): T | undefined {
    return this.fifo.peek();
  }

  shift(): T {
    const item = this.fifo.shift()!;
    this.held -= this.cost(item);
    return item;
  }

  /** Replaces the oldest item with what is left of it. */
  setFirst(item: T): void {
    this.held += this.cost(item) - this.cost(this.fifo.peek()!);
    this.fifo.setFirst(item);
  }
}

/** What the logs and raw queues share: a BoundedFifo, and what it holds and dropped. */
abstract class DroppingQueue<T> implements EventQueue {
  constructor(protected readonly queue: BoundedFifo<T>) {}

  get bytes(): number {
    return this.queue.held;
  }

  get empty(): boolean {
    return this.queue.empty;
  }

  /** What was dropped over the queue's life, in the queue's weight (diagnostics, tests). */
  get droppedTotal(): number {
    return this.queue.droppedTotal;
  }

  abstract next(budget: number): EventBody | undefined;
}

/** Log lines for a `logs` subscription; dropped lines are counted. */
export class LineQueue extends DroppingQueue<LogLineReport> {
  /** `version`: the connection's protocol version, which says how lines travel. */
  constructor(
    limits: QueueLimits,
    private readonly version = 1,
  ) {
    super(new BoundedFifo(limits, lineCost, () => 1));
  }

  push(lines: readonly LogLineReport[]): void {
    for (const line of lines) this.queue.push(line);
  }

  next(budget: number): EventBody | undefined {
    const skipped = this.queue.takeSkipped();
    if (skipped > 0) return { topic: 'logs', skipped };
    if (this.queue.size === 0) return undefined;
    const out: LogLineReport[] = [];
    let size = 0;
    while (this.queue.size > 0 && out.length < LINES_PER_EVENT && (out.length === 0 || size + lineCost(this.queue.peek()!) <= budget)) {
      const line = this.queue.shift();
      size += lineCost(line);
      out.push(line);
    }
    return { topic: 'logs', lines: wireLines(out, this.version) };
  }
}

/** Raw terminal bytes for a `raw` subscription (dropped bytes are counted); chunks are copied (a PTY chunk may be a view on more). */
export class RawQueue extends DroppingQueue<Buffer> {
  constructor(private readonly limits: QueueLimits) {
    const bytes = (chunk: Buffer) => chunk.length;
    super(new BoundedFifo(limits, bytes, bytes));
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const tail = chunk.length > this.limits.maxBytes ? chunk.subarray(chunk.length - this.limits.maxBytes) : chunk;
    this.queue.drop(chunk.length - tail.length);
    this.queue.push(Buffer.from(tail));
  }

  next(budget: number): EventBody | undefined {
    const skipped = this.queue.takeSkipped();
    if (skipped > 0) return { topic: 'raw', skipped };
    if (this.queue.size === 0) return undefined;
    const parts: Buffer[] = [];
    let size = 0;
    while (this.queue.size > 0 && size < budget) {
      const chunk = this.queue.peek()!;
      const room = budget - size;
      if (chunk.length <= room) {
        parts.push(this.queue.shift());
        size += chunk.length;
      } else {
        parts.push(chunk.subarray(0, room));
        this.queue.setFirst(Buffer.from(chunk.subarray(room)));
        size += room;
      }
    }
    return { topic: 'raw', data: Buffer.concat(parts).toString('base64') };
  }
}

/** Process states for a `state` subscription: one pending state per process, the latest. */
export class StateQueue implements EventQueue {
  private readonly pending = new Map<string, ProcessStatusReport>();

  get bytes(): number {
    return this.pending.size * 512;
  }

  get empty(): boolean {
    return this.pending.size === 0;
  }

  push(process: ProcessStatusReport): void {
    this.pending.set(process.name, process);
  }

  next(): EventBody | undefined {
    const first = this.pending.entries().next();
    if (first.done) return undefined;
    this.pending.delete(first.value[0]);
    return { topic: 'state', process: first.value[1] };
  }
}

/**
 * The dashboard topics (process, lines, usage, cleared): one pending event per key, the latest, in the
 * order the keys first came. Bounded by the number of processes: nothing is ever dropped or skipped.
 */
export class LatestQueue implements EventQueue {
  private readonly pending = new Map<string, EventBody>();

  get bytes(): number {
    return this.pending.size * 512;
  }

  get empty(): boolean {
    return this.pending.size === 0;
  }

  push(key: string, body: EventBody): void {
    this.pending.set(key, body);
  }

  /** Replaces what waits under `key` and sends it after everything that waits now. */
  pushLast(key: string, body: EventBody): void {
    this.pending.delete(key);
    this.pending.set(key, body);
  }

  /** Forgets what waits under the keys `keep` refuses (a process that is gone). */
  dropUnless(keep: (key: string) => boolean): void {
    for (const key of [...this.pending.keys()]) if (!keep(key)) this.pending.delete(key);
  }

  next(): EventBody | undefined {
    const first = this.pending.entries().next();
    if (first.done) return undefined;
    this.pending.delete(first.value[0]);
    return first.value[1];
  }
}
