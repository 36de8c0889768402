import type { RunSummary, UncleanProcess } from '../engine/run-summary.js';
import { stripAnsi } from '../engine/sanitize.js';

/**
 * The exit summary as text for stderr, at a width. Rules:
 * - nothing when the terminal hung up, and nothing for a clean run unless stdout is a terminal (a
 *   script's pipe only hears of failures); a clean run is one line;
 * - a failed run: one headline, then per process that did not end cleanly one line (state, exit, restarts,
 *   why) and its last lines, then where the log files are;
 * - sentences wrap at the width (continuation lines indented by 2); a process's lines are clipped with
 *   `…`; every text is stripped of control characters (the summary may come from a file);
 * - widths count code points, as the dashboard does (a wide character counts as one).
 */
export interface SummaryTerminal {
  stdoutIsTerminal: boolean;
  width: number;
}

const MIN_WIDTH = 20;
const CONTINUATION = '  ';
const LINE_PREFIX = '  | ';

/** What to print at the end of a run: '' for nothing. */
export function summaryToShow(summary: RunSummary, terminal: SummaryTerminal): string {
  if (summary.hungUp) return '';
  if (!summary.failed && !terminal.stdoutIsTerminal) return '';
  return formatSummary(summary, terminal.width);
}

export function formatSummary(summary: RunSummary, width: number): string {
  const w = Math.max(MIN_WIDTH, Math.floor(width));
  const logs = summary.logDir === null ? undefined : `logs: ${summary.logDir}`;
  if (!summary.failed) return `${wrap(`devrun: ${cleanHeadline(summary.processCount)}${logs ? `; ${logs}` : ''}`, w)}\n`;
  const out = [wrap(failedHeadline(summary), w)];
  for (const proc of summary.unclean) {
    out.push(wrap(processLine(proc), w));
    const lines = proc.lastLines.length > 0 ? proc.lastLines : ['(no output)'];
    for (const line of lines) out.push(clip(`${LINE_PREFIX}${plain(line)}`, w));
  }
  if (logs) out.push(wrap(logs, w));
  return `${out.join('\n')}\n`;
}

function cleanHeadline(count: number): string {
  if (count === 1) return 'the process ended cleanly';
  return `all ${count} processes ended cleanly`;
}

function failedHeadline(summary: RunSummary): string {
  // 0 after q while a process waited to restart: the stop was yours, and "exit code 0" would only confuse.
  const code = summary.exitCode === 0 ? '' : ` (exit code ${summary.exitCode})`;
  const count = summary.unclean.length;
  if (count === 0) return `devrun: stopped after an internal error${code}`;
  const which = summary.processCount === 1 ? 'the process' : `${count} of ${summary.processCount} processes`;
  return `devrun: ${summary.internalError ? 'internal error; ' : ''}${which} did not end cleanly${code}`;
}

/** `web.1 failed (exit 3, restarted 2 times): gave up after 2 restarts in a row` */
function processLine(proc: UncleanProcess): string {
  const facts: string[] = [];
  if (proc.exit) facts.push(proc.exit.signal ? plain(proc.exit.signal) : `exit ${proc.exit.code ?? '?'}`);
  if (proc.restarts > 0) facts.push(`restarted ${proc.restarts} time${proc.restarts === 1 ? '' : 's'}`);
  const why = proc.why ? `: ${plain(proc.why)}` : '';
  return `${plain(proc.name)} ${plain(proc.state)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}${why}`;
}

/** No control characters or escape sequences: only text reaches the terminal. */
function plain(text: string): string {
  return stripAnsi(String(text));
}

/** Greedy word wrap at `width` code points; a word longer than a line is cut across lines. */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of plain(text).split(' ')) {
    const longer = line === '' ? word : `${line} ${word}`;
    if (line === '' || length(longer) <= width) {
      line = longer;
    } else {
      lines.push(line);
      line = CONTINUATION + word;
    }
    while (length(line) > width) {
      const chars = [...line];
      lines.push(chars.slice(0, width).join(''));
      line = CONTINUATION + chars.slice(width).join('');
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** At most `width` code points, the last one `…` when something was cut. */
export function clip(text: string, width: number): string {
  if (length(text) <= width) return text;
  return `${[...text].slice(0, width - 1).join('')}…`;
}

/** Code points: what the width of a line is counted in. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
