import { ByteRing } from './byte-ring.js';
import type { Clock } from './clock.js';
import type { LineContent } from './line-batch.js';
import { LineSplitter } from './line-splitter.js';
import type { OutputStream } from './runner.js';
import { sanitizeLine } from './sanitize.js';
import { SgrCarry } from './sgr-carry.js';

/** Enough for a full-screen program's last few redraws. */
const RAW_TAIL_BYTES = 256 * 1024;
const NO_BYTES = Buffer.alloc(0);

/**
 * What one process prints: each run's chunks become sanitized lines, handed on in one batch per
 * chunk (never one event per line), each starting with the colours still on from the lines before it
 * (sgr-carry.ts). A plain line with no colours on stays a byte range of its chunk (line-batch.ts); a
 * terminal child's raw bytes are also kept (the last 256 KB) and fed to whoever
 * shows its real screen.
 */
export class ProcessOutput {
  /** The batch being gathered: the chunk its plain lines lie in, their ranges, the other lines' texts. */
  private chunk: Buffer = NO_BYTES;
  private starts: number[] = [];
  private ends: number[] = [];
  private texts: (string | undefined)[] = [];
  private batching = false;
  private splitters: Record<OutputStream, LineSplitter> | undefined;
  private readonly raw = new ByteRing(RAW_TAIL_BYTES);
  private readonly rawListeners = new Set<(chunk: Uint8Array) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly onLines: (stream: OutputStream, lines: LineContent) => void,
  ) {}

  /** A new run starts: fresh line state and raw tail. Returns the handler for its chunks. */
  beginRun(terminal: boolean): (chunk: Uint8Array, stream: OutputStream) => void {
    const splitters = { stdout: this.splitter('stdout', new SgrCarry()), stderr: this.splitter('stderr', new SgrCarry()) };
    this.splitters = splitters;
    this.raw.clear();
    return (chunk, stream) => {
      if (terminal) {
        this.raw.push(chunk);
        for (const listener of this.rawListeners) listener(chunk);
      }
      this.batching = true;
      this.chunk = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      splitters[stream].push(this.chunk);
      this.batching = false;
      this.flush(stream);
    };
  }

  /** The run ended: a last partial line is passed on. */
  endRun(): void {
    this.splitters?.stdout.end();
    this.splitters?.stderr.end();
    this.splitters = undefined;
  }

  rawOutput(): Buffer {
    return this.raw.bytes();
  }

  onRaw(listener: (chunk: Uint8Array) => void): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  private splitter(stream: OutputStream, colours: SgrCarry): LineSplitter {
    return new LineSplitter({
      clock: this.clock,
      onLine: (text) => {
        this.add(colours.carry(sanitizeLine(text)), 0, 0);
        // Lines from an idle flush or end() arrive outside a chunk: pass them on at once.
        if (!this.batching) this.flush(stream);
      },
      // A plain line needs no sanitizing; it stays bytes unless colours from an earlier line are on.
      onPlain: (buf, start, end) => {
        if (colours.colouring) this.add(colours.carry(buf.toString('utf8', start, end)), 0, 0);
        else this.add(undefined, start, end);
      },
    });
  }

  private add(text: string | undefined, start: number, end: number): void {
    this.texts.push(text);
    this.starts.push(start);
    this.ends.push(end);
  }

  private flush(stream: OutputStream): void {
    if (this.texts.length === 0) return;
    const lines: LineContent = { bytes: this.chunk, starts: this.starts, ends: this.ends, texts: this.texts };
    this.starts = [];
    this.ends = [];
    this.texts = [];
    this.chunk = NO_BYTES;
    this.onLines(stream, lines);
  }
}
