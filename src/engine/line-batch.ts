import type { LogLine } from './log-store.js';

/**
 * The lines of one chunk (or one line devrun wrote itself), as ProcessOutput hands them on. A plain line
 * (printable, valid UTF-8, no control byte, no colour carried into it) stays bytes: line i is
 * bytes[starts[i], ends[i]) when texts[i] is undefined. Any other line is texts[i], sanitized and with
 * its carried colours, as before. Listeners that only copy bytes (headless output, log files, the log
 * store) never decode a plain line; `text(i)` decodes one for those that need a string.
 */
export interface LineContent {
  /** The chunk the plain lines lie in; only valid during the event that carries it (the chunk may be reused). */
  readonly bytes: Buffer;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly texts: readonly (string | undefined)[];
}

const NO_BYTES = Buffer.alloc(0);

/** Content of lines that are all texts (devrun's own lines, typed input, tests). */
export function textContent(texts: readonly string[]): LineContent {
  return { bytes: NO_BYTES, starts: texts.map(() => 0), ends: texts.map(() => 0), texts };
}

/** One process's lines of one chunk with what the log store gave them: seqs firstSeq, firstSeq + 1, ... */
export class LineBatch implements LineContent {
  readonly bytes: Buffer;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly texts: readonly (string | undefined)[];
  private materialised: LogLine[] | undefined;

  constructor(
    readonly proc: string,
    readonly stream: LogLine['stream'],
    readonly ts: number,
    readonly firstSeq: number,
    content: LineContent,
  ) {
    this.bytes = content.bytes;
    this.starts = content.starts;
    this.ends = content.ends;
    this.texts = content.texts;
  }

  get count(): number {
    return this.texts.length;
  }

  get lastSeq(): number {
    return this.firstSeq + this.texts.length - 1;
  }

  text(i: number): string {
    return lineText(this, i);
  }

  /** The batch as LogLine objects (decoded once, shared by every listener that asks). */
  lines(): LogLine[] {
    this.materialised ??= this.texts.map((_, i) => ({
      seq: this.firstSeq + i,
      ts: this.ts,
      proc: this.proc,
      stream: this.stream,
      text: this.text(i),
    }));
    return this.materialised;
  }
}

/** Where the run of plain lines that starts at `from` ends: the first index after it that holds a text (or the end). */
export function plainRunEnd(texts: readonly (string | undefined)[], from: number): number {
  let to = from + 1;
  while (to < texts.length && texts[to] === undefined) to++;
  return to;
}

export function lineText(content: LineContent, i: number): string {
  return content.texts[i] ?? content.bytes.toString('utf8', content.starts[i], content.ends[i]);
}

/** The texts of the lines that contain `needle` (ASCII): plain lines are decoded only when their bytes hold it. */
export function linesContaining(content: LineContent, needle: string): string[] {
  const inBytes = content.bytes.includes(needle);
  const found: string[] = [];
  for (let i = 0; i < content.texts.length; i++) {
    const text = content.texts[i];
    if (text !== undefined) {
      if (text.includes(needle)) found.push(text);
    } else if (inBytes) {
      const at = content.bytes.indexOf(needle, content.starts[i]);
      if (at !== -1 && at + needle.length <= content.ends[i]!) found.push(lineText(content, i));
    }
  }
  return found;
}
