/**
 * The text of a log file: what one line of a process's output becomes, and the header a run starts with.
 *
 * - A line is `<local time> <tag><text>`: the time as ISO 8601 in local time with milliseconds and the
 *   UTC offset (`2026-12-01T09:30:00.125+01:00`), so files from different zones still sort and read.
 * - Tags say where a line came from: none for stdout, `[err] ` for stderr (pipes only: a terminal
 *   merges both), `[devrun] ` for devrun's own lines (started, crashed, restarting), `[in] ` for a line
 *   the user typed into the process.
 * - Colour (SGR) codes are stripped unless kept on purpose (`--log-colors`); lines reach here sanitized
 *   already, so nothing else is left to strip. A `\r`-updated line arrives in its final state (the line
 *   splitter keeps only the text after the last bare `\r`).
 * - Every other line of a file is a header: `=== devrun VERSION · run ID · started TIME ===`; readers
 *   skip any line that does not start with a timestamp.
 */
import { type LineBatch, plainRunEnd } from '../line-batch.js';
import type { LogLine } from '../log-store.js';
import { stripAnsi } from '../sanitize.js';
import type { RotatingFile } from './rotating-file.js';

const TAGS: Record<LogLine['stream'], string> = { stdout: '', stderr: '[err] ', system: '[devrun] ', input: '[in] ' };

/** The tag in front of a line of this stream (empty for stdout). */
export function streamTag(stream: string): string {
  return TAGS[stream as LogLine['stream']] ?? '';
}

/** Where the timestamp ends: the fixed width of `YYYY-MM-DDTHH:MM:SS.mmm+HH:MM`. */
const TIMESTAMP_LENGTH = 29;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

export class LogFileFormatter {
  private second = -1;
  /** `YYYY-MM-DDTHH:MM:SS.` of `second`, and its `+HH:MM`: formatted once per second, not per line. */
  private head = '';
  private offset = '';
  private prefixTs = Number.NaN;
  private prefixStream: LogLine['stream'] | undefined;
  private prefixBytes = Buffer.alloc(0);

  constructor(private readonly options: { colors: boolean }) {}

  /** One line and its newline. */
  format(line: Pick<LogLine, 'ts' | 'stream' | 'text'>): string {
    return `${this.timestamp(line.ts)} ${TAGS[line.stream]}${this.clean(line)}\n`;
  }

  /**
   * A batch's lines and their newlines, appended to `out`. A batch from the supervisor is one chunk of
   * one stream, with one time: the time and tag are formatted once, and a plain line's bytes are copied
   * behind them as they are (a plain line has nothing to strip or replace).
   */
  formatBatch(batch: LineBatch, out: Pick<RotatingFile, 'append' | 'appendLines'>): void {
    const prefix = this.prefix(batch.ts, batch.stream);
    const { bytes, starts, ends, texts } = batch;
    for (let i = 0; i < texts.length; ) {
      const text = texts[i];
      if (text !== undefined) {
        out.append(this.format({ ts: batch.ts, stream: batch.stream, text }));
        i++;
        continue;
      }
      // A run of plain lines in one call.
      const to = plainRunEnd(texts, i);
      out.appendLines(prefix, bytes, starts, ends, i, to);
      i = to;
    }
  }

  /** A batch's prefix as bytes; a terminal's flood brings several small batches per millisecond, so the last one is kept. */
  private prefix(ts: number, stream: LogLine['stream']): Buffer {
    if (ts !== this.prefixTs || stream !== this.prefixStream) {
      this.prefixBytes = Buffer.from(`${this.timestamp(ts)} ${TAGS[stream]}`);
      this.prefixTs = ts;
      this.prefixStream = stream;
    }
    return this.prefixBytes;
  }

  private clean(line: Pick<LogLine, 'stream' | 'text'>): string {
    let text = line.text;
    if (!this.options.colors && text.includes('\x1b')) text = stripAnsi(text);
    // Output lines never hold a newline (the splitter cut them); devrun's own and typed ones might.
    if (line.stream === 'system' || line.stream === 'input') text = text.replace(/[\r\n]+/g, ' ');
    return text;
  }

  timestamp(ts: number): string {
    const second = Math.floor(ts / 1000);
    if (second !== this.second) {
      this.second = second;
      const d = new Date(second * 1000);
      this.head = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.`;
      this.offset = utcOffset(d);
    }
    return `${this.head}${String(ts - second * 1000).padStart(3, '0')}${this.offset}`;
  }
}

/** The first line of a run in each file. */
export function runHeader(version: string, runId: string, startedAt: string): string {
  return `=== devrun ${version} · run ${runId} · started ${startedAt} ===\n`;
}

/** A file line split into its time (ms since the epoch) and the rest (tag and text); undefined for a header. */
export function parseLogFileLine(line: string): { ts: number; text: string } | undefined {
  if (line.length < TIMESTAMP_LENGTH + 1 || line[TIMESTAMP_LENGTH] !== ' ') return undefined;
  const stamp = line.slice(0, TIMESTAMP_LENGTH);
  if (!TIMESTAMP.test(stamp)) return undefined;
  const ts = Date.parse(stamp);
  return Number.isNaN(ts) ? undefined : { ts, text: line.slice(TIMESTAMP_LENGTH + 1) };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `+01:00`, `-05:30`, `+00:00` for UTC. */
function utcOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
