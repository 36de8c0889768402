/**
 * Bounded log history: one ring per process plus one merged ring, so memory stays flat however much
 * the children print. Each ring drops its oldest lines when it holds more than `capacity` lines or more
 * than `maxBytesPerRing` bytes of text (UTF-8). The rings keep lines as bytes (line-ring.ts): a plain
 * line goes from the chunk it arrived in straight into them, and becomes a LogLine only when read.
 */

import { LineBatch, type LineContent, plainRunEnd, textContent } from './line-batch.js';
import { LineRing, streamCode } from './line-ring.js';
import { terminatorLength } from './line-run.js';

export interface LogLine {
  /** Increases by one per appended line across all processes: the merged order and a React key. */
  readonly seq: number;
  readonly ts: number;
  readonly proc: string;
  /** input: a line the user sent to the process, echoed so prompts stay readable. */
  readonly stream: 'stdout' | 'stderr' | 'system' | 'input';
  readonly text: string;
}

export interface LogStoreOptions {
  /** Most lines per ring (each process, and the merged view). Default 10000. */
  capacity?: number;
  /** Most text per ring, in UTF-8 bytes. Default 8 MiB. */
  maxBytesPerRing?: number;
}

/** What a reader sees of one ring: size, indexed lines (0 the oldest, negative from the newest), slices. */
export type LogLines = Pick<LineRing, 'size' | 'at' | 'seqAt' | 'procName' | 'slice' | 'toArray'>;

export class LogStore {
  private readonly capacity: number;
  private readonly maxBytesPerRing: number;
  /** Process names by id, as the rings store them; an id is never reused. */
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private merged: LineRing;
  private readonly byProc = new Map<string, LineRing>();
  /** Returned for a process that never printed; never written to. */
  private readonly empty: LineRing;
  private lastSeq = 0;

  constructor(options: LogStoreOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.maxBytesPerRing = options.maxBytesPerRing ?? 8 * 1024 * 1024;
    this.merged = this.ring();
    this.empty = new LineRing(1, 0, this.names);
  }

  append(proc: string, stream: LogLine['stream'], text: string, ts: number = Date.now()): LogLine {
    return this.appendBatch(proc, stream, textContent([text]), ts).lines()[0]!;
  }

  /** Appends one batch of lines of one process: seqs follow on, the batch says which. */
  appendBatch(proc: string, stream: LogLine['stream'], content: LineContent, ts: number = Date.now()): LineBatch {
    const batch = new LineBatch(proc, stream, ts, this.lastSeq + 1, content);
    let id = this.ids.get(proc);
    if (id === undefined) {
      id = this.names.push(proc) - 1;
      this.ids.set(proc, id);
    }
    let ring = this.byProc.get(proc);
    if (ring === undefined) {
      ring = this.ring();
      this.byProc.set(proc, ring);
    }
    const code = streamCode(stream);
    const { bytes, starts, ends, texts } = content;
    for (let i = 0; i < texts.length; ) {
      const text = texts[i];
      if (text !== undefined) {
        const seq = ++this.lastSeq;
        ring.pushString(seq, ts, code, id, text);
        this.merged.pushString(seq, ts, code, id, text);
        i++;
        continue;
      }
      // A run of plain lines: copied a block at a time when they lie back to back in the chunk.
      const to = plainRunEnd(texts, i);
      const gap = terminatorLength(bytes, starts, ends, i, to);
      if (gap === undefined) {
        for (; i < to; i++) {
          const seq = ++this.lastSeq;
          ring.push(seq, ts, code, id, bytes, starts[i]!, ends[i]!);
          this.merged.push(seq, ts, code, id, bytes, starts[i]!, ends[i]!);
        }
        continue;
      }
      const run = { bytes, starts, ends, from: i, to, gap };
      ring.pushRun(this.lastSeq + 1, ts, code, id, run);
      this.merged.pushRun(this.lastSeq + 1, ts, code, id, run);
      this.lastSeq += to - i;
      i = to;
    }
    return batch;
  }

  /** One process's lines, or the merged view when proc is undefined. Read-only: append via the store. */
  lines(proc?: string): LogLines {
    if (proc === undefined) return this.merged;
    return this.byProc.get(proc) ?? this.empty;
  }

  /**
   * Clears one process (its ring and its lines in the merged view) or everything. The merged ring is
   * rebuilt without that process's lines: O(capacity) on a rare user action, which keeps reads (hot,
   * every frame) plain indexed access instead of filtering a watermark on each read.
   */
  clear(proc?: string): void {
    if (proc === undefined) {
      for (const ring of this.byProc.values()) ring.clear();
      this.merged.clear();
      return;
    }
    this.byProc.get(proc)?.clear();
    const id = this.ids.get(proc);
    const old = this.merged;
    this.merged = this.ring();
    for (let i = 0; i < old.size; i++) if (old.procAt(i) !== id) this.merged.pushFrom(old, i);
  }

  private ring(): LineRing {
    return new LineRing(this.capacity, this.maxBytesPerRing, this.names);
  }
}
