import { Readable } from 'node:stream';
import { MouseParser, type MouseReport } from '../state/mouse-input.js';

/** How long the start of a possible mouse report waits for the rest before it goes to Ink as keys. */
const HOLD_MS = 40;

/**
 * The one stream between the terminal and Ink, for the local and the attached dashboard: it reads the
 * real stdin, takes SGR mouse reports out (to `onMouse`), and hands everything else to Ink unchanged.
 * Ink 6 reads its stdin with 'readable' + read() and calls setRawMode, ref and unref on it: those go
 * to the real stdin.
 */
export class InputFilter extends Readable {
  readonly isTTY: boolean;
  private readonly parser = new MouseParser();
  private readonly mouseListeners = new Set<(report: MouseReport) => void>();
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
  }

  override _read(): void {}

  private accept(chunk: string): void {
    clearTimeout(this.timer);
    const { text, reports } = this.parser.push(chunk);
    if (text) this.push(text);
    for (const report of reports) for (const listener of this.mouseListeners) listener(report);
    if (this.parser.holding) this.timer = setTimeout(() => this.push(this.parser.flush()), HOLD_MS);
  }
}
