/**
 * The terminal's answers to devrun's "have you caught up?" queries, taken out of the bytes read from
 * the terminal: `ESC [ 0 n` (device status, the answer to `ESC [ 5 n`) and `ESC [ ? … c` (primary device
 * attributes, the answer to `ESC [ c`). No key is encoded like either. A read may split a reply or carry
 * several among keys and mouse reports. Pure: src/components/input-filter.ts feeds it.
 */
const REPLY = /^\x1b\[(?:0n|\?[\d;]*c)/;
/** Everything a reply can start with: held back until the next read says whether it is one. */
const PREFIX = /^\x1b(?:\[(?:0|\?[\d;]*)?)?$/;

export class ReplyParser {
  private pending = '';

  /** The text of this read (with what an earlier read held back) less the replies, and how many there were. */
  push(chunk: string): { text: string; replies: number } {
    const data = this.pending + chunk;
    this.pending = '';
    let replies = 0;
    let text = '';
    let from = 0;
    for (let at = data.indexOf('\x1b'); at >= 0; at = data.indexOf('\x1b', from)) {
      text += data.slice(from, at);
      const rest = data.slice(at);
      const reply = REPLY.exec(rest);
      if (reply) {
        replies++;
        from = at + reply[0].length;
        continue;
      }
      if (PREFIX.test(rest)) {
        this.pending = rest;
        return { text, replies };
      }
      // Another escape sequence (a key, a mouse report): passed on.
      text += '\x1b';
      from = at + 1;
    }
    return { text: text + data.slice(from), replies };
  }

  /** Whether the last read ended in what may be the start of a reply. */
  get holding(): boolean {
    return this.pending !== '';
  }

  /** What was held back, given up as text (no more bytes came: it was a key after all). */
  flush(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }
}
