import { Readable } from 'node:stream';
import { MouseParser, type MouseReport } from '../state/mouse-input.js';
import { ReplyParser } from '../state/terminal-replies.js';

/** How long the start of a possible mouse report or reply waits for the rest before it goes to Ink as keys. */
const HOLD_MS = 40;

/**
 * The one stream between the terminal and Ink, for the local and the attached dashboard: it reads the
 * real stdin, takes the terminal's replies to devrun's queries out (to `onReply`, never to keys nor to a
 * focused process) and SGR mouse reports (to `onMouse`), and hands everything else to Ink unchanged.
 * Ink 6 reads its stdin with 'readable' + read() and calls setRawMode, ref and unref on it: those go
 * to the real stdin.
 */
export class InputFilter extends Readable {
  readonly isTTY: boolean;
  private readonly replies = new ReplyParser();
  private readonly mouse = new MouseParser();
  private readonly mouseListeners = new Set<(report: MouseReport) => void>();
  private readonly replyListeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer | string) => this.accept(chunk.toString());

  constructor(private readonly real: NodeJS.ReadStream) {
    super({ encoding: 'utf8' });
    this.isTTY = real.isTTY === true;
    real.on('data', this.onData);
  }

  /** Every mouse report from now on; returns the unsubscribe. */
  onMouse(listener: (report: MouseReport) => void): () => void {
    this.mouseListeners.add(listener);
    return () => this.mouseListeners.delete(listener);
  }

  /** Called once per reply (`ESC[0n`, `ESC[?…c`) from now on; returns the unsubscribe. */
  onReply(listener: () => void): () => void {
    this.replyListeners.add(listener);
    return () => this.replyListeners.delete(listener);
  }

  setRawMode(mode: boolean): this {
    this.real.setRawMode?.(mode);
    return this;
  }

  ref(): this {
    this.real.ref();
    return this;
  }

  unref(): this {
    this.real.unref();
    return this;
  }

  /** Stops reading the terminal (the dashboard closed). */
  detach(): void {
    clearTimeout(this.timer);
    this.real.off('data', this.onData);
    this.real.pause();
    this.mouseListeners.clear();
    this.replyListeners.clear();
  }

  override _read(): void {}

  private accept(chunk: string): void {
    clearTimeout(this.timer);
    const { text, replies } = this.replies.push(chunk);
    for (let i = 0; i < replies; i++) for (const listener of this.replyListeners) listener();
    this.deliver(text);
    if (this.replies.holding || this.mouse.holding) this.timer = setTimeout(() => this.giveUpHeld(), HOLD_MS);
  }

  /** Keys to Ink, mouse reports to their listeners. */
  private deliver(text: string): void {
    const { text: keys, reports } = this.mouse.push(text);
    if (keys) this.push(keys);
    for (const report of reports) for (const listener of this.mouseListeners) listener(report);
  }

  /** Nothing followed what was held back: it was keys after all. */
  private giveUpHeld(): void {
    this.deliver(this.replies.flush());
    const keys = this.mouse.flush();
    if (keys) this.push(keys);
  }
}
