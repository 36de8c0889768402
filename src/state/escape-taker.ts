/**
 * Takes one kind of escape sequence out of the text read from a terminal. A read may split a sequence
 * or carry several among other keys: a complete one (`sequence`, anchored at its ESC) goes to `take`;
 * a read that ends in what may still become one (`prefix`, anchored at ESC and at the end) is held
 * back for the next read, or given up as text by flush() when no more bytes came. Every other byte,
 * other escape sequences included, passes on as text.
 */
export class EscapeTaker {
  private pending = '';

  constructor(
    private readonly sequence: RegExp,
    private readonly prefix: RegExp,
  ) {}

  /** The text of this read (with what an earlier read held back) less the sequences taken. */
  push(chunk: string, take: (match: RegExpExecArray) => void): string {
    const data = this.pending + chunk;
    this.pending = '';
    let text = '';
    let from = 0;
    for (let at = data.indexOf('\x1b'); at >= 0; at = data.indexOf('\x1b', from)) {
      text += data.slice(from, at);
      const rest = data.slice(at);
      const match = this.sequence.exec(rest);
      if (match) {
        take(match);
        from = at + match[0].length;
        continue;
      }
      if (this.prefix.test(rest)) {
        this.pending = rest;
        return text;
      }
      text += '\x1b';
      from = at + 1;
    }
    return text + data.slice(from);
  }

  /** Whether the last read ended in what may be the start of a sequence. */
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
