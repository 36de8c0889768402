import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type FileLine, loggedProcesses, parseLines } from './history.js';

interface Followed {
  fd: number;
  ino: number;
  /** Where the next read starts. */
  position: number;
  decoder: StringDecoder;
  /** Text after the last newline read: a line still being written. */
  partial: string;
}

const BLOCK = 64 * 1024;

/**
 * `devrun logs -f` with no devrun running: the lines appended to the log files since it started, found
 * by polling. Each file is read from where it ended at the start (a file that appears later, from its
 * beginning). A rotated file (its name now leads to a new inode) is read to its end, then the new one
 * from its start. The caller polls; each poll returns the new whole lines of every file in time order.
 */
export class FileFollower {
  private readonly followed = new Map<string, Followed>();

  constructor(
    private readonly dir: string,
    private readonly wanted: (proc: string) => boolean,
  ) {
    for (const proc of this.procs()) this.open(proc, 'end');
  }

  poll(): FileLine[] {
    const lines: FileLine[] = [];
    for (const proc of this.procs()) {
      if (!this.followed.has(proc) && !this.open(proc, 'start')) continue;
      const file = this.followed.get(proc)!;
      lines.push(...this.readNew(proc, file));
      if (this.inode(proc) === file.ino) continue;
      // Rotated: whatever reached the old file before the rename, then the new file.
      lines.push(...this.readNew(proc, file));
      closeSync(file.fd);
      this.followed.delete(proc);
      if (this.open(proc, 'start')) lines.push(...this.readNew(proc, this.followed.get(proc)!));
    }
    return lines.sort((a, b) => a.ts - b.ts);
  }

  close(): void {
    for (const file of this.followed.values()) closeSync(file.fd);
    this.followed.clear();
  }

  private procs(): string[] {
    return loggedProcesses(this.dir).filter(this.wanted);
  }

  private open(proc: string, at: 'start' | 'end'): boolean {
    let fd: number;
    try {
      fd = openSync(join(this.dir, `${proc}.log`), 'r');
    } catch {
      return false;
    }
    const stats = fstatSync(fd);
    const file: Followed = { fd, ino: stats.ino, position: 0, decoder: new StringDecoder('utf8'), partial: '' };
    this.followed.set(proc, file);
    if (at === 'end') this.skipTo(file, stats.size);
    return true;
  }

  /** Starts after the last whole line before `size`: a line being written at the start is read whole later. */
  private skipTo(file: Followed, size: number): void {
    const start = Math.max(0, size - BLOCK);
    const bytes = Buffer.alloc(size - start);
    const got = readSync(file.fd, bytes, 0, bytes.length, start);
    const lastNewline = bytes.subarray(0, got).lastIndexOf(0x0a);
    file.position = lastNewline === -1 ? start : start + lastNewline + 1;
  }

  private readNew(proc: string, file: Followed): FileLine[] {
    const buffer = Buffer.alloc(BLOCK);
    let text = file.partial;
    for (;;) {
      const n = readSync(file.fd, buffer, 0, BLOCK, file.position);
      if (n === 0) break;
      file.position += n;
      text += file.decoder.write(buffer.subarray(0, n));
    }
    const end = text.lastIndexOf('\n') + 1;
    file.partial = text.slice(end);
    return parseLines(text.slice(0, end), proc, false);
  }

  private inode(proc: string): number | undefined {
    try {
      return statSync(join(this.dir, `${proc}.log`)).ino;
    } catch {
      return undefined;
    }
  }
}
