/**
 * Makes one line of child output safe to draw inside a box: colours (SGR) stay, everything that could
 * move the cursor, clear the screen, retitle the window, ring the bell or confuse Ink's layout goes.
 *
 * Removed: CSI sequences other than SGR (cursor moves, `ESC[2J`, `ESC[K`, `ESC[?25l`, ...), OSC
 * (`ESC ] ... BEL` or `... ESC \`; an OSC 8 hyperlink leaves its link text), DCS/SOS/PM/APC strings,
 * two-byte and charset ESC sequences, 8-bit C1 controls (their CSI/OSC/DCS forms with their
 * parameters, including an 8-bit SGR), C0 controls and DEL. A TAB becomes spaces up to the next
 * multiple of 8 columns; columns count code points outside SGR (a wide character counts as one).
 */

const ESC = 0x1b;
const BEL = 0x07;
const TAB = 0x09;
const CAN = 0x18;
const SUB = 0x1a;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;
const TAB_WIDTH = 8;

/** Any C0 control (ESC included), DEL or C1 control: the only characters that need work. */
const NEEDS_WORK = /[\x00-\x1f\x7f-\x9f]/;

/** Keeps SGR colour sequences, drops every other control sequence and character, expands tabs. */
export function sanitizeLine(text: string): string {
  return NEEDS_WORK.test(text) ? scrub(text, true) : text;
}

/** Like sanitizeLine but drops SGR too: plain text for non-colour output and search. */
export function stripAnsi(text: string): string {
  return NEEDS_WORK.test(text) ? scrub(text, false) : text;
}

function scrub(text: string, keepSgr: boolean): string {
  let out = '';
  let copied = 0; // text before this index is already in out, or dropped
  let column = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && (c < 0x7f || c > 0x9f)) {
      if (c < 0xdc00 || c > 0xdfff) column++; // a low surrogate belongs to the previous code point
      i++;
      continue;
    }
    if (keepSgr && c === ESC && text.charCodeAt(i + 1) === 0x5b /* [ */) {
      const end = skipCsi(text, i + 2);
      if (isSgr(text, i + 2, end)) {
        i = end; // a kept SGR stays in the run being copied: coloured lines cost no concatenation
        continue;
      }
    }
    out += text.slice(copied, i);
    if (c === TAB) {
      const spaces = TAB_WIDTH - (column % TAB_WIDTH);
      out += ' '.repeat(spaces);
      column += spaces;
      i++;
    } else {
      i = skipControl(text, i, c);
    }
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** End of the control character or sequence that starts at i with code c (not TAB). */
function skipControl(text: string, i: number, c: number): number {
  if (c === ESC) {
    const next = text.charCodeAt(i + 1); // NaN at the end of the text
    if (next === 0x5b /* [ */) return skipCsi(text, i + 2);
    if (next === 0x5d /* ] */) return skipString(text, i + 2, true);
    if (next === 0x50 /* P */ || next === 0x58 /* X */ || next === 0x5e /* ^ */ || next === 0x5f /* _ */) {
      return skipString(text, i + 2, false);
    }
    return skipEscSequence(text, i + 1);
  }
  if (c === C1_CSI) return skipCsi(text, i + 1);
  if (c === C1_OSC) return skipString(text, i + 1, true);
  if (c === C1_DCS || c === C1_SOS || c === C1_PM || c === C1_APC) return skipString(text, i + 1, false);
  return i + 1; // any other C0 or C1 control, and DEL
}

/**
 * CSI body from `from` (after `ESC [` or 8-bit CSI): parameter bytes, intermediate bytes, one final
 * byte. Returns the index after the sequence; a malformed one ends before the offending character,
 * which is then handled on its own (so a control inside it is still removed).
 */
function skipCsi(text: string, from: number): number {
  let i = from;
  while (i < text.length && isInRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
  while (i < text.length && isInRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
  return i < text.length && isInRange(text.charCodeAt(i), 0x40, 0x7e) ? i + 1 : i;
}

/** SGR is a CSI with only digits, `;` and `:` as parameters and final `m` (`ESC[>4m` is not SGR). */
function isSgr(text: string, paramsStart: number, end: number): boolean {
  if (text.charCodeAt(end - 1) !== 0x6d /* m */) return false;
  for (let i = paramsStart; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (!isInRange(c, 0x30, 0x3b) /* 0-9 : ; */) return false;
  }
  return true;
}

/**
 * OSC, DCS, SOS, PM or APC string from `from`, up to ST (`ESC \` or 8-bit ST), BEL for OSC, or
 * CAN/SUB (which cancel it). Another ESC also ends it and starts a new sequence, as in xterm.
 * Unterminated strings run to the end of the line.
 */
function skipString(text: string, from: number, belEnds: boolean): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === ESC) return text.charCodeAt(i + 1) === 0x5c /* \ */ ? i + 2 : i;
    if (c === C1_ST || c === CAN || c === SUB || (belEnds && c === BEL)) return i + 1;
  }
  return text.length;
}

/** `ESC` + intermediates (0x20-0x2f) + final (0x30-0x7e): `ESC 7`, `ESC c`, `ESC ( B`. A lone ESC goes alone. */
function skipEscSequence(text: string, from: number): number {
  let i = from;
  while (i < text.length && isInRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
  return i < text.length && isInRange(text.charCodeAt(i), 0x30, 0x7e) ? i + 1 : i;
}

function isInRange(c: number, low: number, high: number): boolean {
  return c >= low && c <= high;
}
