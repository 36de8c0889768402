/**
 * The terminal's answers to devrun's "have you caught up?" queries, taken out of the bytes read from
 * the terminal: `ESC [ 0 n` (device status, the answer to `ESC [ 5 n`) and `ESC [ ? … c` (primary device
 * attributes, the answer to `ESC [ c`). No key is encoded like either. A read may split a reply or carry
 * several among keys and mouse reports. Pure: src/components/input-filter.ts feeds it.
 */
import { EscapeTaker } from './escape-taker.js';

const REPLY = /^\x1b\[(?:0n|\?[\d;]*c)/;
/** Everything a reply can start with: held back until the next read says whether it is one. */
const PREFIX = /^\x1b(?:\[(?:0|\?[\d;]*)?)?$/;

export class ReplyParser {
  private readonly taker = new EscapeTaker(REPLY, PREFIX);

  /** The text of this read (with what an earlier read held back) less the replies, and how many there were. */
  push(chunk: string): { text: string; replies: number } {
    let replies = 0;
    const text = this.taker.push(chunk, () => replies++);
    return { text, replies };
  }

  /** Whether the last read ended in what may be the start of a reply. */
  get holding(): boolean {
    return this.taker.holding;
  }

  /** What was held back, given up as text (no more bytes came: it was a key after all). */
  flush(): string {
    return this.taker.flush();
  }
}
