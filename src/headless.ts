import { type LineBatch, plainRunEnd } from './engine/line-batch.js';
import { copyPrefixedLines, linesThatFit } from './engine/line-run.js';
import type { LogLine } from './engine/log-store.js';
import { stripAnsi } from './engine/sanitize.js';
import type { Supervisor } from './engine/supervisor.js';
import { processColour } from './palette.js';

export interface HeadlessOptions {
  color: boolean;
  timestamps: boolean;
  out: NodeJS.WritableStream;
  /** The reader went away (EPIPE: `devrun | head`): nothing more can be shown. */
  onClosed: () => void;
}

const RESET = '\x1b[0m';
/** Output is gathered and written in blocks: one write per line would dominate a flood. */
const FLUSH_BYTES = 64 * 1024;
const NEWLINE = Buffer.from('\n');

/** foreman-style lines, `HH:MM:SS web.1 | text`: the headless output's, and `devrun logs`'s. */
export class LineFormatter {
  private readonly prefixes = new Map<string, string>();
  private readonly width: number;
  private clockSecond = -1;
  private clockText = '';

  /** `processes` in Procfile order: their index picks the colour, their names the prefix width. */
  constructor(
    processes: readonly { name: string; index: number }[],
    private readonly options: { color: boolean; timestamps: boolean },
  ) {
    this.width = Math.max('devrun'.length, ...processes.map((p) => p.name.length));
    this.learn(processes);
  }

  /** Processes a reload added get their colour (the width stays: earlier lines keep their alignment). */
  learn(processes: readonly { name: string; index: number }[]): void {
    for (const p of processes) if (!this.prefixes.has(p.name)) this.prefixes.set(p.name, this.makePrefix(p.name, p.index));
  }

  /** One line and its newline. */
  format(line: Pick<LogLine, 'ts' | 'proc' | 'text'>): string {
    // Lines are sanitized already: the only escapes left are colours, and most lines have none.
    const text = this.options.color || !line.text.includes('\x1b') ? line.text : stripAnsi(line.text);
    return `${this.prefix(line)}${text}${this.options.color && text.includes('\x1b') ? RESET : ''}\n`;
  }

  /** What goes in front of a line's text: its time (when shown) and the process's coloured name. */
  prefix(line: Pick<LogLine, 'ts' | 'proc'>): string {
    const label = this.prefixes.get(line.proc) ?? this.makePrefix(line.proc, -1);
    return this.options.timestamps ? this.clock(line.ts) + label : label;
  }

  private makePrefix(name: string, index: number): string {
    const label = `${name.padEnd(this.width)} | `;
    if (!this.options.color) return label;
    const colour = index < 0 ? 90 : processColour(index).sgr;
    return `\x1b[${colour}m${label}${RESET}`;
  }

  /** HH:MM:SS, formatted once per second rather than once per line. */
  private clock(ts: number): string {
    const second = Math.floor(ts / 1000);
    if (second !== this.clockSecond) {
      this.clockSecond = second;
      const d = new Date(ts);
      const two = (n: number) => String(n).padStart(2, '0');
      this.clockText = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} `;
    }
    return this.clockText;
  }
}

/**
 * foreman-style merged output: `HH:MM:SS web.1 | text`, one line per log line. Plain lines' bytes are
 * copied behind their prefix into one output block (never decoded); other lines are formatted as text.
 */
export class HeadlessPrinter {
  private readonly formatter: LineFormatter;
  private block = Buffer.allocUnsafe(FLUSH_BYTES);
  private used = 0;
  private flushScheduled = false;
  private closed = false;
  private prefixText = '';
  private prefix = Buffer.alloc(0);

  constructor(
    supervisor: Supervisor,
    private readonly options: HeadlessOptions,
  ) {
    this.formatter = new LineFormatter(supervisor.processes(), options);
    supervisor.subscribe((event) => {
      if (event.type === 'lines') this.printBatch(event.batch);
      else if (event.type === 'processes') this.formatter.learn(event.processes);
    });
    options.out.on('error', () => {
      if (this.closed) return;
      this.closed = true;
      this.used = 0;
      options.onClosed();
    });
  }

  printBatch(batch: LineBatch): void {
    if (this.closed) return;
    const { texts } = batch;
    // One prefix for the whole batch: one process, one time (the same as the last batch's, most often).
    const prefixText = this.formatter.prefix(batch);
    if (prefixText !== this.prefixText) {
      this.prefixText = prefixText;
      this.prefix = Buffer.from(prefixText);
    }
    const prefix = this.prefix;
    for (let i = 0; i < texts.length; ) {
      const text = texts[i];
      if (text !== undefined) {
        this.writeText(this.formatter.format({ ts: batch.ts, proc: batch.proc, text }));
        i++;
        continue;
      }
      const to = plainRunEnd(texts, i);
      this.copyLines(prefix, batch, i, to);
      i = to;
    }
    this.scheduleFlush();
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.used === 0 || this.closed) return;
    // The block goes to the stream as it is (the write may be asynchronous): the next lines take a new one.
    this.options.out.write(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafe(FLUSH_BYTES);
    this.used = 0;
  }

  /** Plain lines [from, to) behind the prefix, as many at once as the block takes (line-run.ts). */
  private copyLines(prefix: Buffer, { bytes, starts, ends }: LineBatch, from: number, to: number): void {
    for (let i = from; i < to; ) {
      let fit = linesThatFit(prefix.length, starts, ends, i, to, this.block.length - this.used);
      if (fit === 0 && this.used > 0) {
        this.flush();
        fit = linesThatFit(prefix.length, starts, ends, i, to, this.block.length);
      }
      if (fit === 0) {
        // A line longer than a block goes to the stream on its own.
        this.options.out.write(Buffer.concat([prefix, bytes.subarray(starts[i], ends[i]), NEWLINE]));
        i++;
        continue;
      }
      this.used += copyPrefixedLines(this.block, this.used, prefix, bytes, starts, ends, i, i + fit);
      i += fit;
    }
  }

  private writeText(text: string): void {
    const length = Buffer.byteLength(text);
    if (this.used + length > this.block.length) this.flush();
    if (length > this.block.length) this.options.out.write(text);
    else this.used += this.block.write(text, this.used);
  }

  private scheduleFlush(): void {
    if (this.used >= FLUSH_BYTES / 2) this.flush();
    else if (!this.flushScheduled && this.used > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }
}

/** Colour when stdout is a terminal; NO_COLOR turns it off, FORCE_COLOR (not 0) turns it on. */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}
