/**
 * SGR mouse reports (`ESC [ < b ; x ; y M|m`, what `CSI ?1006h` asks the terminal for) taken out of the
 * bytes read from the terminal, which may split a report across reads or carry several in one. Pure:
 * the stream wrapper (src/components/input-filter.ts) feeds it and hands the rest to Ink.
 */
import { EscapeTaker } from './escape-taker.js';

export interface MouseReport {
  kind: 'press' | 'release' | 'wheel';
  /** 0 left, 1 middle, 2 right; for the wheel 0 up (away from the user), 1 down. */
  button: number;
  /** 1-based terminal cell. */
  x: number;
  y: number;
  shift: boolean;
  meta: boolean;
  ctrl: boolean;
  /** The report's button code as sent (modifiers included): what a child that asked for SGR gets. */
  code: number;
}

const REPORT = /^\x1b\[<(\d+);(\d+);(\d+)([Mm])/;
/** Everything a report can start with: held back until the next read says whether it is one. */
const PREFIX = /^\x1b(?:\[(?:<(?:\d+(?:;(?:\d+(?:;\d*)?)?)?)?)?)?$/;

export function reportOf(code: number, x: number, y: number, final: 'M' | 'm'): MouseReport {
  const wheel = (code & 64) !== 0;
  return {
    kind: wheel ? 'wheel' : final === 'm' ? 'release' : 'press',
    button: code & 3,
    x,
    y,
    shift: (code & 4) !== 0,
    meta: (code & 8) !== 0,
    ctrl: (code & 16) !== 0,
    code,
  };
}

export class MouseParser {
  private readonly taker = new EscapeTaker(REPORT, PREFIX);

  /** The text of this read (with what an earlier read held back) less its mouse reports. */
  push(chunk: string): { text: string; reports: MouseReport[] } {
    const reports: MouseReport[] = [];
    const text = this.taker.push(chunk, (m) => reports.push(reportOf(Number(m[1]), Number(m[2]), Number(m[3]), m[4] as 'M' | 'm')));
    return { text, reports };
  }

  /** Whether the last read ended in what may be the start of a report. */
  get holding(): boolean {
    return this.taker.holding;
  }

  /** What was held back, given up as text (no more bytes came: it was an Esc or Alt+[ after all). */
  flush(): string {
    return this.taker.flush();
  }
}
