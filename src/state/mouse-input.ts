/**
 * SGR mouse reports (`ESC [ < b ; x ; y M|m`, what `CSI ?1006h` asks the terminal for) taken out of the
 * bytes read from the terminal, which may split a report across reads or carry several in one. Pure:
 * the stream wrapper (src/components/input-filter.ts) feeds it and hands the rest to Ink.
 */
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
  private pending = '';

  /** The text of this read (with what an earlier read held back) less its mouse reports. */
  push(chunk: string): { text: string; reports: MouseReport[] } {
    const data = this.pending + chunk;
    this.pending = '';
    const reports: MouseReport[] = [];
    let text = '';
    let from = 0;
    for (let at = data.indexOf('\x1b'); at >= 0; at = data.indexOf('\x1b', from)) {
      text += data.slice(from, at);
      const rest = data.slice(at);
      const report = REPORT.exec(rest);
      if (report) {
        reports.push(reportOf(Number(report[1]), Number(report[2]), Number(report[3]), report[4] as 'M' | 'm'));
        from = at + report[0].length;
        continue;
      }
      if (PREFIX.test(rest)) {
        this.pending = rest;
        return { text, reports };
      }
      // Another escape sequence (a key, a reply): Ink's.
      text += '\x1b';
      from = at + 1;
    }
    return { text: text + data.slice(from), reports };
  }

  /** Whether the last read ended in what may be the start of a report. */
  get holding(): boolean {
    return this.pending !== '';
  }

  /** What was held back, given up as text (no more bytes came: it was an Esc or Alt+[ after all). */
  flush(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }
}
