/**
 * Turns a child's output bytes into lines.
 *
 * - UTF-8: lines are found on the raw bytes (0x0A never occurs inside a multibyte character) and each
 *   line is decoded whole, so a character split between chunks is joined before decoding. Decoding per
 *   line (instead of a streaming TextDecoder over the chunk plus string slicing) yields flat strings: a
 *   V8 substring would keep its whole 64 KiB chunk alive for as long as the log ring holds the line.
 *   Invalid bytes become U+FFFD (same replacement rules as TextDecoder).
 * - `\n` ends a line; `\r` directly before it (even in the previous chunk) is dropped with it.
 * - A bare `\r` is a carriage return: the line becomes the text after the last bare `\r`
 *   (`10%\r20%\r30%\n` -> `30%`). Trailing `\r`s before `\n` never erase the line.
 * - A line longer than maxLineBytes (counted after the last bare `\r`) is cut at a character border,
 *   emitted once with TRUNCATION_MARKER, and the rest is discarded up to the next `\n`. At most
 *   maxLineBytes are ever buffered, whatever the child writes.
 * - A partial line (a prompt) is emitted after idleFlushMs without new data. Text that arrives later for
 *   that same line is emitted as a new line; a lone `\n` that only terminates it emits nothing. When the
 *   timer fires, the flush first waits for the event loop's I/O phase (afterIo): after a stall of
 *   devrun's own loop (a loaded machine), the timer is due before the rest of the line, already in
 *   the pipe, is read; a flush then would split a flooding line in two.
 * - With onPlain, a whole line inside one chunk that is plain (see plainLineEnd) is handed on as its byte
 *   range, never decoded; every other line takes onLine as above.
 */
import { isUtf8 } from 'node:buffer';
import { type Clock, systemClock, type TimerHandle } from './clock.js';

export const TRUNCATION_MARKER = ' … [line truncated]';

export interface LineSplitterOptions {
  onLine: (text: string) => void;
  /** A plain line: bytes [start, end) of buf, valid only during the call. Without it, every line goes to onLine. */
  onPlain?: (buf: Buffer, start: number, end: number) => void;
  /** Longest line kept, in UTF-8 bytes. Default 16384. */
  maxLineBytes?: number;
  /** Emit a partial line after this long without new data. Default 150. */
  idleFlushMs?: number;
  /** Runs `check` once the I/O ready now has been read (default setImmediate: after the poll phase). */
  afterIo?: (check: () => void) => void;
  clock?: Clock;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly onLine: (text: string) => void;
  private readonly onPlain: ((buf: Buffer, start: number, end: number) => void) | undefined;
  private readonly maxLineBytes: number;
  private readonly idleFlushMs: number;
  private readonly clock: Clock;

  /** Bytes of the current, unfinished line (after its last bare CR); never more than maxLineBytes. */
  private readonly pending: Buffer;
  private pendingLen = 0;
  /** The current line's content so far was followed by `\r` (bare or the first half of `\r\n`). */
  private pendingCR = false;
  /** The current line was emitted truncated; drop bytes until the next `\n`. */
  private discarding = false;
  /** The current line was already emitted by an idle flush. */
  private idleFlushed = false;

  private timer: TimerHandle | undefined;
  private lastDataAt = 0;
  /** Chunks pushed so far: an idle flush that waited for I/O sees whether one came meanwhile. */
  private pushes = 0;
  private readonly afterIo: (check: () => void) => void;

  constructor(options: LineSplitterOptions) {
    this.onLine = options.onLine;
    this.onPlain = options.onPlain;
    this.maxLineBytes = Math.max(4, Math.floor(options.maxLineBytes ?? 16384));
    this.idleFlushMs = options.idleFlushMs ?? 150;
    this.clock = options.clock ?? systemClock;
    this.afterIo = options.afterIo ?? setImmediate;
    this.pending = Buffer.allocUnsafe(this.maxLineBytes);
  }

  /** Bytes held for the unfinished line (for diagnostics and tests). */
  get bufferedBytes(): number {
    return this.pendingLen;
  }

  push(chunk: Buffer | Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    if (len === 0) return;
    this.pushes++;
    // First CR at or after pos (-1: none left), so lines without CR skip carriage-return handling.
    let nextCR = buf.indexOf(CR);
    let pos = 0;
    while (pos < len) {
      if (this.onPlain !== undefined && this.atLineStart()) {
        const plainEnd = plainLineEnd(buf, pos, Math.min(len, pos + this.maxLineBytes + 1));
        if (plainEnd !== -1) {
          // A terminal ends its lines with CRLF: the CR is dropped with the LF (the only CR a plain line holds).
          this.onPlain(buf, pos, buf[plainEnd - 1] === CR ? plainEnd - 1 : plainEnd);
          pos = plainEnd + 1;
          if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf(CR, pos);
          continue;
        }
      }
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? len : nl;
      if (nl !== -1 && this.atLineStart() && nl - pos <= this.maxLineBytes) {
        // Fast path: the whole line is inside this chunk.
        this.onLine(buf.toString('utf8', lineStart(buf, pos, end, nextCR), trimTrailingCR(buf, pos, end)));
      } else {
        this.appendToLine(buf, pos, end, nextCR);
        if (nl !== -1) this.endLine();
      }
      pos = end + 1;
      if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf(CR, pos);
    }
    this.armIdleFlush();
  }

  /** Emits whatever is left (an incomplete character becomes U+FFFD) and stops the idle timer. */
  end(): void {
    this.cancelIdleFlush();
    if (!this.discarding && this.pendingLen > 0) this.onLine(this.pending.toString('utf8', 0, this.pendingLen));
    this.resetLine();
  }

  /** Adds bytes [start, end) of the current line; the range holds no `\n`; firstCR as in push(). */
  private appendToLine(buf: Buffer, start: number, end: number, firstCR: number): void {
    if (start === end) return;
    if (this.discarding) {
      // The cut line stays cut until a bare CR: what follows one overwrites the line, as on a terminal,
      // and is shown as a new line (the cut part was already emitted).
      const contentEnd = trimTrailingCR(buf, start, end);
      const afterLastCR = contentEnd === start ? start : lineStart(buf, start, contentEnd, firstCR);
      const overwritten = afterLastCR > start || (this.pendingCR && contentEnd > start);
      if (!overwritten) {
        this.pendingCR = contentEnd < end;
        return;
      }
      this.discarding = false;
      this.pendingCR = false;
      this.pendingLen = 0;
      start = afterLastCR;
      if (start === contentEnd) {
        this.pendingCR = contentEnd < end;
        return;
      }
    }
    const contentEnd = trimTrailingCR(buf, start, end);
    if (contentEnd === start) {
      this.pendingCR = true;
      return;
    }
    const afterLastCR = lineStart(buf, start, contentEnd, firstCR);
    // Text after a bare CR (here, or trailing in an earlier chunk) overwrites what came before.
    if (afterLastCR > start || this.pendingCR) this.pendingLen = 0;
    start = afterLastCR;
    this.pendingCR = contentEnd < end;

    const room = this.maxLineBytes - this.pendingLen;
    const count = contentEnd - start;
    if (count <= room) {
      buf.copy(this.pending, this.pendingLen, start, contentEnd);
      this.pendingLen += count;
      return;
    }
    buf.copy(this.pending, this.pendingLen, start, start + room);
    const cut = completeCharsLength(this.pending, this.maxLineBytes);
    this.onLine(this.pending.toString('utf8', 0, cut) + TRUNCATION_MARKER);
    this.pendingLen = 0;
    // A CR right after the cut may turn out bare (text follows in the next chunk): keep it in mind.
    this.pendingCR = contentEnd < end;
    this.discarding = true;
  }

  /** A `\n` arrived: emit the current line unless it was already emitted (truncated or idle-flushed). */
  private endLine(): void {
    const alreadyShown = this.discarding || (this.idleFlushed && this.pendingLen === 0);
    if (!alreadyShown) this.onLine(this.pending.toString('utf8', 0, this.pendingLen));
    this.resetLine();
  }

  /** Nothing of the current line is buffered, pending or already emitted. */
  private atLineStart(): boolean {
    return this.pendingLen === 0 && !this.pendingCR && !this.discarding && !this.idleFlushed;
  }

  private resetLine(): void {
    this.pendingLen = 0;
    this.pendingCR = false;
    this.discarding = false;
    this.idleFlushed = false;
  }

  /**
   * One timer per idle period instead of one per chunk: it records when data last came and, when it
   * fires early, re-arms for the remaining time.
   */
  private armIdleFlush(): void {
    if (this.pendingLen === 0) return;
    this.lastDataAt = this.clock.now();
    if (this.timer === undefined) this.startTimer(this.idleFlushMs);
  }

  private startTimer(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.onIdle(), ms);
    this.timer.unref?.();
  }

  private cancelIdleFlush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onIdle(): void {
    this.timer = undefined;
    if (this.pendingLen === 0) return;
    const idleFor = this.clock.now() - this.lastDataAt;
    if (idleFor < this.idleFlushMs) {
      this.startTimer(this.idleFlushMs - idleFor);
      return;
    }
    const pushes = this.pushes;
    this.afterIo(() => {
      // Data came meanwhile (and re-armed the timer), or end() emitted the rest: nothing to flush.
      if (this.pushes === pushes) this.flushIdle();
    });
  }

  private flushIdle(): void {
    if (this.pendingLen === 0) return;
    // Keep an incomplete trailing character: its remaining bytes may still come.
    const cut = completeCharsLength(this.pending, this.pendingLen);
    if (cut === 0) return;
    this.onLine(this.pending.toString('utf8', 0, cut));
    this.pending.copy(this.pending, 0, cut, this.pendingLen);
    this.pendingLen -= cut;
    this.pendingCR = false;
    this.idleFlushed = true;
  }
}

/**
 * Where the plain line starting at `start` ends (its `\n`), or -1 when no `\n` comes before `limit` or
 * the line is not plain. Plain: printable ASCII, or UTF-8 that decodes without U+FFFD and holds no C1
 * control (U+0080-U+009F): exactly the lines sanitizeLine returns unchanged and that need no tab
 * expansion; a terminal's CRLF ending counts as plain (its CR is the one before the `\n`). One byte
 * comparison per ASCII byte: cheaper than decoding the line and testing the string.
 */
function plainLineEnd(buf: Buffer, start: number, limit: number): number {
  let multibyte = false;
  for (let i = start; i < limit; i++) {
    const byte = buf[i]!;
    if (byte >= 0x20 && byte < 0x7f) continue;
    if (byte === CR && i + 1 < limit && buf[i + 1] === LF) return multibyte && !isPlainUtf8(buf, start, i) ? -1 : i + 1;
    if (byte === LF) return multibyte && !isPlainUtf8(buf, start, i) ? -1 : i;
    if (byte < 0x80) return -1; // a control byte (CR, TAB and ESC among them) or DEL
    multibyte = true;
  }
  return -1;
}

function isPlainUtf8(buf: Buffer, start: number, end: number): boolean {
  if (!isUtf8(buf.subarray(start, end))) return false;
  // C1 controls are encoded as C2 80..C2 9F.
  for (let i = buf.indexOf(0xc2, start); i !== -1 && i < end - 1; i = buf.indexOf(0xc2, i + 1)) {
    if (buf[i + 1]! < 0xa0) return false;
  }
  return true;
}

/** End of [start, end) without its trailing CRs: `abc\r\r` before `\n` is `abc`. */
function trimTrailingCR(buf: Buffer, start: number, end: number): number {
  while (end > start && buf[end - 1] === CR) end--;
  return end;
}

/**
 * Where the visible text of [start, end) begins: after its last bare CR, ignoring trailing CRs.
 * firstCR is the first CR at or after start (-1 if none), so lines without CR cost one comparison.
 */
function lineStart(buf: Buffer, start: number, end: number, firstCR: number): number {
  if (firstCR === -1 || firstCR >= end) return start;
  const contentEnd = trimTrailingCR(buf, start, end);
  if (firstCR >= contentEnd) return start;
  return buf.lastIndexOf(CR, contentEnd - 1) + 1;
}

/** Length of bytes[0, length) without a trailing UTF-8 character whose bytes are not all there. */
function completeCharsLength(bytes: Buffer, length: number): number {
  // Look back at most 3 bytes for the lead byte of the last character.
  for (let i = length - 1; i >= 0 && i >= length - 4; i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + needed > length ? i : length;
  }
  return length;
}
