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
    const prefix = this.prefixes.get(line.proc) ?? this.makePrefix(line.proc, -1);
    // Lines are sanitized already: the only escapes left are colours, and most lines have none.
    const text = this.options.color || !line.text.includes('\x1b') ? line.text : stripAnsi(line.text);
    const stamp = this.options.timestamps ? this.clock(line.ts) : '';
    return `${stamp}${prefix}${text}${this.options.color && text.includes('\x1b') ? RESET : ''}\n`;
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

/** foreman-style merged output: `HH:MM:SS web.1 | text`, one line per log line. */
export class HeadlessPrinter {
  private readonly formatter: LineFormatter;
  private pending = '';
  private flushScheduled = false;
  private closed = false;

  constructor(
    supervisor: Supervisor,
    private readonly options: HeadlessOptions,
  ) {
    this.formatter = new LineFormatter(supervisor.processes(), options);
    supervisor.subscribe((event) => {
      if (event.type === 'lines') for (const line of event.lines) this.print(line);
      else if (event.type === 'processes') this.formatter.learn(event.processes);
    });
    options.out.on('error', () => {
      if (this.closed) return;
      this.closed = true;
      this.pending = '';
      options.onClosed();
    });
  }

  print(line: LogLine): void {
    if (this.closed) return;
    this.pending += this.formatter.format(line);
    if (this.pending.length >= FLUSH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.pending === '' || this.closed) return;
    this.options.out.write(this.pending);
    this.pending = '';
  }
}

/** Colour when stdout is a terminal; NO_COLOR turns it off, FORCE_COLOR (not 0) turns it on. */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}
