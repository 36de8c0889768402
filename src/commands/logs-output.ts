import { sinceTime } from '../config/log-files.js';
import type { VerbOptions } from '../config/options.js';
import type { LogLineReport } from '../control/target.js';
import type { FileLine } from '../engine/log-files/history.js';
import { streamTag } from '../engine/log-files/line-format.js';
import { colorWanted, LineFormatter } from '../headless.js';

/** Lines printed by `devrun logs` without -n, as `tail`; none before following with -f. */
const DEFAULT_LINES = 10;
/** Exit status after Ctrl-C, as a shell reports a job ended by SIGINT. */
export const INTERRUPTED = 130;

/** What history `devrun logs` prints: at most `last` lines (Infinity: all), none before `from`. */
export function historyRange(options: VerbOptions, now: number): { last: number; from: number } {
  const from = options.since === undefined ? Number.NEGATIVE_INFINITY : sinceTime(options.since, now);
  const fallback = options.since !== undefined ? Number.POSITIVE_INFINITY : options.follow ? 0 : DEFAULT_LINES;
  return { last: options.lines ?? fallback, from };
}

/** A ring line as the files hold it: its tag in front of its text (`[err] oops`). */
export function asFileLine(line: Pick<LogLineReport, 'ts' | 'proc' | 'stream' | 'text'>): FileLine {
  return { ts: line.ts, proc: line.proc, text: `${streamTag(line.stream)}${line.text}` };
}

/**
 * Where `devrun logs` prints: merged, name-prefixed lines as the headless output has them (devrun's own
 * lines without their redundant `[devrun]` tag). A full stdout pauses the source until it drains.
 */
export class LogsOutput {
  private readonly formatter: LineFormatter;
  private readonly out = process.stdout;
  private closed = false;

  constructor(
    names: readonly string[],
    private readonly source?: { pause(): void; resume(): void },
  ) {
    this.formatter = new LineFormatter(
      names.map((name, index) => ({ name, index })),
      { color: colorWanted(this.out.isTTY === true, process.env), timestamps: true },
    );
  }

  print(lines: readonly FileLine[]): void {
    let text = '';
    for (const line of lines) text += this.formatter.format(line.proc === 'devrun' ? untagged(line) : line);
    this.write(text);
  }

  note(text: string): void {
    this.write(this.formatter.format({ ts: Date.now(), proc: 'devrun', text }));
  }

  /** Resolves on Ctrl-C, when stdout's reader goes away (EPIPE: `devrun logs -f | head`) or when `ended` resolves. */
  until(ended: Promise<unknown>): Promise<'interrupted' | 'output-closed' | 'ended'> {
    return new Promise((resolve) => {
      const onInterrupt = () => end('interrupted');
      const onError = () => end('output-closed');
      const end = (why: 'interrupted' | 'output-closed' | 'ended') => {
        if (this.closed) return;
        this.closed = true;
        process.off('SIGINT', onInterrupt);
        this.out.off('error', onError);
        resolve(why);
      };
      process.once('SIGINT', onInterrupt);
      this.out.once('error', onError);
      void ended.then(() => end('ended'));
    });
  }

  private write(text: string): void {
    if (this.closed || text === '' || this.out.write(text) || !this.source) return;
    this.source.pause();
    this.out.once('drain', () => this.source?.resume());
  }
}

function untagged(line: FileLine): FileLine {
  const tag = streamTag('system');
  return line.text.startsWith(tag) ? { ...line, text: line.text.slice(tag.length) } : line;
}
