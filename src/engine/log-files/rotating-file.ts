/**
 * One log file, appended in batches and rotated by size.
 *
 * - append() only adds text to a buffer: the line path never touches the disk. A full block starts an
 *   asynchronous write of the full blocks; the timer (or close) writes the rest. One write is in flight
 *   at a time, and what arrives meanwhile joins the next one. A write never takes the block being
 *   filled unless the timer says so: during a flood, a loop of writes of whatever came in since the
 *   last one cost a threadpool round trip per few KB (measured: ~12k writes and +1 s CPU per 1M lines).
 * - Text is encoded straight into 256 KB blocks, each filled to the brim (a line may span two); written
 *   blocks go back to one pool shared by every file, so a flood reuses a few MB instead of allocating a
 *   new Buffer per block. The pool is let go once no file has needed a full block for POOL_IDLE_MS.
 * - A file with nothing pending starts with a 4 KB block (a quiet process's few lines); only a file
 *   that fills it moves on to full blocks.
 * - Rotation: before a write would take the file past maxBytes, the file is cut at the last whole line
 *   that fits (across block borders); then `NAME.log.(keep-1)` becomes `.keep`, ..., `NAME.log` becomes `NAME.log.1`, and the
 *   write goes on in a new `NAME.log`. Numbers above keep are deleted, so exactly `keep` old files
 *   remain. A single line longer than maxBytes gets a file of its own.
 * - Opened lazily on the first write, appending, mode 0600 (an existing file is tightened too); its
 *   folder is created 0700 when missing.
 * - The buffer is bounded: past MAX_PENDING (a disk slower than the children) lines are dropped and a
 *   line in the file says how many.
 * - The first fs error (a full disk, a folder that cannot be written) is reported once through onError
 *   and the file stops: nothing more is buffered or written.
 */
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, readdirSync, writev, writevSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { copyPrefixedLines, linesThatFit } from '../line-run.js';

export interface RotatingFileOptions {
  maxBytes: number;
  /** Old files kept beside the current one: `NAME.log.1` (newest) ... `NAME.log.keep`. */
  keep: number;
  /** How long appended text may wait before it is written. */
  flushMs?: number;
  onError(error: NodeJS.ErrnoException): void;
}

/** Pending bytes are kept in blocks of this size; a full block is written at once, whatever the timer says. */
const BLOCK_BYTES = 256 * 1024;
/** Most bytes buffered while the disk is busy; what comes beyond is dropped (and counted). */
const MAX_PENDING = 16 * 1024 * 1024;
/** Written blocks kept for reuse by every file (8 MB): enough for 4 flooding files' writes in flight. */
const SPARE_BLOCKS = 32;
const spare: Buffer[] = [];
/** The first block of a file with nothing pending. */
const FIRST_BLOCK_BYTES = 4096;
/** The pool is emptied once no file has taken a full block for this long. */
const POOL_IDLE_MS = 1000;
let lastFullBlock = 0;
let poolTimer: NodeJS.Timeout | undefined;
const encoder = new TextEncoder();
/**
 * Writes up to this size go straight from the main thread: a quiet process's few lines cost a write
 * into the page cache (microseconds) instead of a round trip through libuv's threadpool, which cost
 * a quiet run (10 processes, a line every 2 s each) a third of its CPU. Larger writes (a flood's
 * blocks) stay off the main thread.
 */
const SYNC_WRITE_BYTES = 16 * 1024;
/** Buffers per writev (Linux takes at most 1024). */
const MAX_IOV = 512;
const LF = 0x0a;
const NEWLINE = Buffer.from('\n');

export class RotatingFile {
  private fd: number | undefined;
  private size = 0;
  /**
   * Appended text not yet written, encoded at once into blocks: the strings die young (cheap for the
   * GC), and what waits for the disk is bytes outside the JS heap. The last block is being filled.
   */
  private blocks: { bytes: Buffer; used: number }[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /** The timer fired or close() was called: the next write takes the block being filled too. */
  private wantAll = false;
  private failed = false;
  private readonly flushMs: number;

  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions,
  ) {
    this.flushMs = options.flushMs ?? 100;
  }

  /** False while the buffer is full (the disk is behind): the caller drops its lines with dropLines(). */
  get accepting(): boolean {
    return !this.failed && this.pendingBytes < MAX_PENDING;
  }

  /** Text of whole lines, or a piece of them: the caller checks `accepting` once per batch of lines, not per piece. */
  append(text: string): void {
    if (this.failed) return;
    this.encode(text);
    if (this.blocks.length > 1) this.startWriting();
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /**
   * Lines from bytes, each `prefix`, bytes[starts[i], ends[i]) and a newline, for i in [from, to) (copied,
   * never decoded). One call per run of lines: the lines that fit the block being filled are copied
   * there at once (line-run.ts); one that straddles a block border goes piece by piece.
   */
  appendLines(prefix: Buffer, bytes: Buffer, starts: readonly number[], ends: readonly number[], from: number, to: number): void {
    if (this.failed) return;
    for (let i = from; i < to; ) {
      const block = this.room();
      const fit = linesThatFit(prefix.length, starts, ends, i, to, block.bytes.length - block.used);
      if (fit === 0) {
        // The line straddles the block's end: piece by piece, into the next block(s).
        this.copy(prefix, 0, prefix.length);
        this.copy(bytes, starts[i]!, ends[i]!);
        this.copy(NEWLINE, 0, 1);
        i++;
        continue;
      }
      const written = copyPrefixedLines(block.bytes, block.used, prefix, bytes, starts, ends, i, i + fit);
      block.used += written;
      this.pendingBytes += written;
      i += fit;
    }
    if (this.blocks.length > 1) this.startWriting();
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Counts lines not written because the buffer was full; a line in the file says how many. */
  dropLines(count: number): void {
    this.dropped += count;
  }

  /** Starts writing everything buffered, unless a write is in flight (it takes the rest when done). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wantAll = true;
    this.startWriting();
  }

  private startWriting(): void {
    if (this.writing || this.failed) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined;
    });
  }

  /** Writes everything buffered, then closes the file. */
  async close(): Promise<void> {
    this.flush();
    while (this.writing) await this.writing;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async writeAll(): Promise<void> {
    try {
      for (;;) {
        if (this.dropped > 0) {
          this.encode(`… ${this.dropped} lines dropped: the disk could not keep up\n`);
          this.dropped = 0;
        }
        // Every full block in one write (new text goes to new blocks meanwhile), and the one being
        // filled only when the timer or close asked for everything.
        const blocks = this.blocks.splice(0, this.wantAll ? this.blocks.length : this.blocks.length - 1);
        this.wantAll = false;
        if (blocks.length === 0) break;
        for (const block of blocks) this.pendingBytes -= block.used;
        await this.writeRotating(blocks.map((block) => block.bytes.subarray(0, block.used)));
        for (const block of blocks) if (spare.length < SPARE_BLOCKS && block.bytes.length === BLOCK_BYTES) spare.push(block.bytes);
      }
      if (spare.length > 0) releasePoolWhenIdle();
    } catch (error) {
      this.failed = true;
      this.blocks = [];
      this.pendingBytes = 0;
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
      this.options.onError(error as NodeJS.ErrnoException);
    }
  }

  /**
   * Adds text to the last block and what does not fit to new ones. TextEncoder.encodeInto is a fast
   * path for one-byte strings (Buffer#write re-encodes them at half the speed).
   */
  private encode(text: string): void {
    for (let rest = text; ; ) {
      const block = this.room();
      const { read, written } = encoder.encodeInto(rest, block.bytes.subarray(block.used));
      block.used += written;
      this.pendingBytes += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      // The few bytes left were too few for the next character: start the next block.
      if (written === 0) this.blocks.push({ bytes: fullBlock(), used: 0 });
    }
  }

  /** Copies bytes [start, end) of `from` into the last block and what does not fit into new ones. */
  private copy(from: Buffer, start: number, end: number): void {
    while (start < end) {
      const block = this.room();
      const copied = from.copy(block.bytes, block.used, start, end);
      block.used += copied;
      this.pendingBytes += copied;
      start += copied;
    }
  }

  /** The last block while it has room, or a new one. */
  private room(): { bytes: Buffer; used: number } {
    const last = this.blocks.at(-1);
    if (last && last.used < last.bytes.length) return last;
    const block = { bytes: this.blocks.length === 0 ? Buffer.allocUnsafeSlow(FIRST_BLOCK_BYTES) : fullBlock(), used: 0 };
    this.blocks.push(block);
    return block;
  }

  /** Writes buffers in order, rotating between whole lines where the file would grow past maxBytes. */
  private async writeRotating(buffers: Buffer[]): Promise<void> {
    for (let queue = buffers.filter((buf) => buf.length > 0); queue.length > 0; ) {
      this.open();
      const room = this.options.maxBytes - this.size;
      let cut = totalBytes(queue) <= room ? totalBytes(queue) : lineEndWithin(queue, room);
      if (cut === 0 && this.size > 0) {
        await this.rotate(); // no whole line fits: a fresh file takes them
        continue;
      }
      // A fresh file and a first line longer than maxBytes: that line alone.
      if (cut === 0) cut = lineEndWithin(queue, Number.POSITIVE_INFINITY, true);
      const [head, tail] = splitBuffers(queue, cut);
      await this.writeBuffers(head);
      queue = tail;
      if (queue.length > 0) await this.rotate();
    }
  }

  private open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const fd = openSync(this.path, 'a', 0o600);
    const stats = fstatSync(fd);
    if ((stats.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
    this.fd = fd;
    this.size = stats.size;
  }

  /**
   * Off the main thread (the write waits for it, nothing else does): removing a 10 MB file whose pages
   * are still being written back, or renaming one over another (ext4's auto_da_alloc flushes it first),
   * takes milliseconds each, ~180 ms of the main thread per headless flood when done synchronously.
   * The oldest kept file goes first, so no rename replaces a file.
   */
  private async rotate(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const { keep } = this.options;
    await this.removeBeyond(keep);
    await removeIfThere(keep === 0 ? this.path : `${this.path}.${keep}`);
    for (let n = keep - 1; n >= 1; n--) await renameIfThere(`${this.path}.${n}`, `${this.path}.${n + 1}`);
    if (keep > 0) await renameIfThere(this.path, `${this.path}.1`);
  }

  /** Old files numbered above keep (from runs with a larger --log-keep). */
  private async removeBeyond(keep: number): Promise<void> {
    const prefix = `${basename(this.path)}.`;
    for (const name of readdirSync(dirname(this.path))) {
      if (!name.startsWith(prefix)) continue;
      const n = name.slice(prefix.length);
      if (/^\d+$/.test(n) && Number(n) > keep) await removeIfThere(join(dirname(this.path), name));
    }
  }

  /** One writev for all of them (MAX_IOV at a time); what a short write left goes again. */
  private async writeBuffers(buffers: Buffer[]): Promise<void> {
    const queue = buffers.filter((buf) => buf.length > 0);
    while (queue.length > 0) {
      const chunk = queue.splice(0, MAX_IOV);
      let written =
        totalBytes(chunk) <= SYNC_WRITE_BYTES
          ? writevSync(this.fd!, chunk)
          : await new Promise<number>((resolve, reject) => writev(this.fd!, chunk, (error, n) => (error ? reject(error) : resolve(n))));
      this.size += written;
      const left: Buffer[] = [];
      for (const buf of chunk) {
        if (written >= buf.length) {
          written -= buf.length;
          continue;
        }
        left.push(buf.subarray(written));
        written = 0;
      }
      queue.unshift(...left);
    }
  }
}

/** A full-size block, from the pool when it has one. */
function fullBlock(): Buffer {
  lastFullBlock = Date.now();
  return spare.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES);
}

/** Empties the pool once no file has taken a full block for POOL_IDLE_MS (a flood is over). */
function releasePoolWhenIdle(): void {
  if (poolTimer) return;
  const wait = Math.max(0, lastFullBlock + POOL_IDLE_MS - Date.now());
  poolTimer = setTimeout(() => {
    poolTimer = undefined;
    if (Date.now() - lastFullBlock >= POOL_IDLE_MS) spare.length = 0;
    else releasePoolWhenIdle();
  }, wait + 10);
  poolTimer.unref();
}

/** Blocks in the shared pool (for tests). */
export function pooledBlocks(): number {
  return spare.length;
}

function totalBytes(buffers: readonly Buffer[]): number {
  return buffers.reduce((sum, buf) => sum + buf.length, 0);
}

/**
 * Bytes up to and with the last newline among the first `limit` bytes (or the first newline when
 * `first`); 0 when there is none. With `first` and no newline at all: every byte (an unfinished line).
 */
function lineEndWithin(buffers: readonly Buffer[], limit: number, first = false): number {
  let found = 0;
  let offset = 0;
  for (const buf of buffers) {
    if (offset >= limit) break;
    const at = first ? buf.indexOf(LF) : buf.lastIndexOf(LF, Math.min(buf.length, limit - offset) - 1);
    if (at !== -1 && offset + at < limit) {
      found = offset + at + 1;
      if (first) return found;
    }
    offset += buf.length;
  }
  return first ? offset : found;
}

/** The buffers split after `at` bytes (subarrays; nothing copied). */
function splitBuffers(buffers: readonly Buffer[], at: number): [Buffer[], Buffer[]] {
  const head: Buffer[] = [];
  let left = at;
  for (const [i, buf] of buffers.entries()) {
    if (left >= buf.length) {
      head.push(buf);
      left -= buf.length;
      continue;
    }
    if (left > 0) head.push(buf.subarray(0, left));
    return [head, [buf.subarray(left), ...buffers.slice(i + 1)]];
  }
  return [head, []];
}

async function removeIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function renameIfThere(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
