import type { LogLineReport } from './target.js';

/**
 * How protocol 2 carries a list of log lines (protocol.ts): by column, not one object per line. Field
 * names and repeated values cost more than the text of a short line (125 MB of JSON for 77 MB of text
 * under `logs -f` in the flood bench); by column a line costs its text and about ten bytes.
 *
 *   {"seq":[41,1,1,3], "ts":[1764576000123,0,0,2], "procs":["web.1","api.1"], "proc":[0,0,1,0],
 *    "streams":["stdout","stderr"], "stream":[0,1,0,0], "text":["a","b","c","d"]}
 *
 * - `text` has one entry per line; every other per-line column has as many.
 * - `seq` and `ts`: the first line's value, then each line's difference from the line before (seqs
 *   rise: differences >= 1; ts differences may be negative, the clock may step back).
 * - `proc` and `stream` index `procs` and `streams`, the distinct values in order of first use; a
 *   column is left out when its table has one value (every line has it). An empty batch is
 *   {"seq":[],"ts":[],"procs":[],"streams":[],"text":[]}.
 */
export interface LineBatch {
  seq: number[];
  ts: number[];
  procs: string[];
  proc?: number[];
  streams: string[];
  stream?: number[];
  text: string[];
}

export function encodeLines(lines: readonly LogLineReport[]): LineBatch {
  const seq: number[] = new Array(lines.length);
  const ts: number[] = new Array(lines.length);
  const text: string[] = new Array(lines.length);
  const procs = new Column();
  const streams = new Column();
  let lastSeq = 0;
  let lastTs = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    seq[i] = line.seq - lastSeq;
    ts[i] = line.ts - lastTs;
    lastSeq = line.seq;
    lastTs = line.ts;
    procs.add(line.proc, i);
    streams.add(line.stream, i);
    text[i] = line.text;
  }
  const batch: LineBatch = { seq, ts, procs: procs.values, streams: streams.values, text };
  if (procs.values.length > 1) batch.proc = procs.indexes;
  if (streams.values.length > 1) batch.stream = streams.indexes;
  return batch;
}

/** Lines as a connection's protocol version carries them: copies (a ring's line may carry more fields), or a batch. */
export function wireLines(lines: readonly LogLineReport[], version: number): LogLineReport[] | LineBatch {
  return version >= 2 ? encodeLines(lines) : lines.map(({ seq, ts, proc, stream, text }) => ({ seq, ts, proc, stream, text }));
}

/** The lines of a batch; undefined when it is not a well-formed LineBatch. */
export function decodeLines(value: unknown): LogLineReport[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { seq, ts, procs, proc, streams, stream, text } = value as Partial<Record<keyof LineBatch, unknown>>;
  if (!isArray(text, isString)) return undefined;
  const n = text.length;
  if (!isArray(seq, isInteger, n) || !isArray(ts, isInteger, n) || !isArray(procs, isString) || !isArray(streams, isString))
    return undefined;
  const procOf = indexes(proc, procs.length, n);
  const streamOf = indexes(stream, streams.length, n);
  if (procOf === undefined || streamOf === undefined) return undefined;
  const lines: LogLineReport[] = new Array(n);
  let lastSeq = 0;
  let lastTs = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && seq[i]! < 1) return undefined;
    lastSeq += seq[i]!;
    lastTs += ts[i]!;
    lines[i] = { seq: lastSeq, ts: lastTs, proc: procs[procOf(i)]!, stream: streams[streamOf(i)]!, text: text[i]! };
  }
  return lines;
}

/** The distinct values of a column in order of first use, and each line's index into them. */
class Column {
  readonly values: string[] = [];
  readonly indexes: number[] = [];
  private last: string | undefined;
  private lastIndex = 0;
  private readonly known = new Map<string, number>();

  add(value: string, line: number): void {
    if (value !== this.last) {
      let index = this.known.get(value);
      if (index === undefined) {
        index = this.values.length;
        this.values.push(value);
        this.known.set(value, index);
      }
      this.last = value;
      this.lastIndex = index;
    }
    this.indexes[line] = this.lastIndex;
  }
}

/** Line i's index into a table of `size` values: from the column, or 0 when it is left out (one value). */
function indexes(column: unknown, size: number, n: number): ((i: number) => number) | undefined {
  if (column === undefined) return n === 0 || size === 1 ? () => 0 : undefined;
  if (!isArray(column, (v): v is number => isInteger(v) && v >= 0 && v < size, n)) return undefined;
  return (i) => column[i]!;
}

function isArray<T>(value: unknown, item: (v: unknown) => v is T, length?: number): value is T[] {
  return Array.isArray(value) && (length === undefined || value.length === length) && value.every(item);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
