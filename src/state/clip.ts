/**
 * The text of a log pane's rows, from a sanitized line (SGR colours are the only escapes left in it):
 * wrapped to the pane's width like a terminal wraps (every row filled, words split), or cut with a
 * visible mark; a search's matches shown inverse without losing the line's own colours. Widths are
 * string-width's, as Ink measures them, so Ink never wraps or cuts a row again.
 */
import { eastAsianWidth } from 'get-east-asian-width';
import { stripAnsi } from '../engine/sanitize.js';
import { applySgr } from '../engine/sgr-carry.js';

const SGR = /\x1b\[[0-9;:]*m/y;
const RESET = '\x1b[0m';
const INVERSE_ON = '\x1b[7m';
const INVERSE_OFF = '\x1b[27m';
/** Ends a cut row: the line goes on past the pane. */
const CUT_MARK = '…';

/** One column per character: no need to measure. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** The most rows one line wraps to (the rest is cut): a screenful at the biggest terminals. */
const MAX_WRAPPED_ROWS = 200;

/**
 * Cuts a line to at most `max` code points of visible text, keeping colour sequences. A line can be
 * 16 KB; Ink's own truncation (slice-ansi) is slow on that, so it only ever sees about one screen width.
 */
function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let visible = 0;
  let i = 0;
  while (i < text.length && visible < max) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        i = SGR.lastIndex;
        continue;
      }
    }
    const code = text.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    visible++;
  }
  // A colour opened before the cut must not leak into the rest of the screen.
  return text.slice(0, i) + (text.includes('\x1b') ? RESET : '');
}

/**
 * The rows of a line `width` columns wide, each row filled (words split, as a terminal wraps); an
 * empty line is one empty row. A colour on at a row's end is ended there and opened again on the next
 * row. At most MAX_WRAPPED_ROWS rows: a 16 KB line must not become thousands of them. (wrap-ansi did
 * this at ~7 µs a line, measuring every character with string-width: 0.3 s of a 1M-line flood.)
 */
export function wrapRows(text: string, width: number, maxRows = MAX_WRAPPED_ROWS): string[] {
  if (text.length <= width && PRINTABLE_ASCII.test(text)) return [text];
  const room = Math.max(1, width);
  const rows: string[] = [];
  let active: string[] = [];
  let row = '';
  let used = 0;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        const sequence = text.slice(i, SGR.lastIndex);
        row += sequence;
        active = applySgr(active, sequence);
        i = SGR.lastIndex;
        continue;
      }
    }
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    const columns = charColumns(code);
    if (used + columns > room && used > 0) {
      rows.push(endRow(row));
      if (rows.length === maxRows) return rows;
      row = active.join('');
      used = 0;
    }
    row += text.slice(i, i + size);
    used += columns;
    i += size;
  }
  rows.push(endRow(row));
  return rows;
}

/** A row that holds a colour sequence ends with a reset: its colour must not run into the next cell. */
const endRow = (row: string): string => (row.includes('\x1b') ? row + RESET : row);

/** Columns a code point takes: 0 for combining marks, joiners and variation selectors; 2 for wide ones. */
function charColumns(code: number): number {
  if (code < 0x300) return 1;
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  return eastAsianWidth(code);
}

/** One row: the line cut to `width` columns, its last column a mark when something was cut. */
export function cutRow(text: string, width: number): string {
  const room = Math.max(1, width);
  // (No shortcut on text.length alone: a wide character is one code unit but two columns.)
  const plain = text.includes('\x1b') ? stripAnsi(text) : text;
  if (PRINTABLE_ASCII.test(plain)) return plain.length <= room ? text : clipText(text, room - 1) + CUT_MARK;
  // Wide characters take two columns: measured by the wrap.
  const rows = wrapRows(text, room, 2);
  return rows.length === 1 ? rows[0]! : wrapRows(rows[0]!, room - 1, 1)[0]! + CUT_MARK;
}

/** The line with every case-insensitive match of `query` shown inverse; its colours stay. */
export function highlightMatches(text: string, query: string): string {
  if (!query) return text;
  const plain = stripAnsi(text).toLowerCase();
  const needle = query.toLowerCase();
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (let at = plain.indexOf(needle); at >= 0; at = plain.indexOf(needle, at + needle.length)) {
    starts.add(at);
    ends.add(at + needle.length);
  }
  if (starts.size === 0) return text;
  let out = '';
  let p = 0; // index into the plain text
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        out += text.slice(i, SGR.lastIndex);
        i = SGR.lastIndex;
        continue;
      }
    }
    if (ends.has(p)) out += INVERSE_OFF;
    if (starts.has(p)) out += INVERSE_ON;
    out += text[i];
    i++;
    p++;
  }
  return ends.has(p) ? out + INVERSE_OFF : out;
}
