import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pooledBlocks, RotatingFile } from '../../../src/engine/log-files/rotating-file.js';
import { waitFor } from '../../helpers/wait.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'devrun-rotating-')));
const line = (i: number) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(40)}\n`; // 59 bytes

function collect(path: string, keep: number): string {
  let text = '';
  for (let n = keep; n >= 1; n--) {
    try {
      text += readFileSync(`${path}.${n}`, 'utf8');
    } catch {}
  }
  return text + readFileSync(path, 'utf8');
}

describe('RotatingFile', () => {
  it('appends in batches to a 0600 file in a folder it makes 0700', async () => {
    const path = join(fresh(), 'logs', 'web.1.log');
    const errors: Error[] = [];
    const file = new RotatingFile(path, { maxBytes: 1024 * 1024, keep: 3, onError: (e) => errors.push(e) });
    for (let i = 0; i < 100; i++) file.append(line(i));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(Array.from({ length: 100 }, (_, i) => line(i)).join(''));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    // A later run appends, and an existing file with a looser mode is tightened.
    chmodSync(path, 0o644);
    const again = new RotatingFile(path, { maxBytes: 1024 * 1024, keep: 3, onError: (e) => errors.push(e) });
    again.append('more\n');
    await again.close();
    expect(readFileSync(path, 'utf8').endsWith(`${line(99)}more\n`)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(errors).toEqual([]);
  });

  it('rotates past maxBytes at whole lines and keeps exactly `keep` old files', async () => {
    const path = join(fresh(), 'web.1.log');
    // An old file from a run with a larger --log-keep goes too.
    writeFileSync(`${path}.4`, 'stale\n');
    const file = new RotatingFile(path, { maxBytes: 1000, keep: 2, onError: (e) => expect.fail(e.message) });
    const lines = Array.from({ length: 200 }, (_, i) => line(i));
    // Several batches, some flushed at once, some by the timer.
    for (let i = 0; i < lines.length; i++) {
      file.append(lines[i]!);
      if (i % 37 === 0) file.flush();
    }
    await file.close();
    expect(readdirSync(dir).sort()).toEqual(['web.1.log', 'web.1.log.1', 'web.1.log.2']);
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
      expect(text.endsWith('\n')).toBe(true);
    }
    // What is kept is the newest lines, in order, each whole.
    const kept = collect(path, 2);
    expect(lines.join('').endsWith(kept)).toBe(true);
    expect(kept.startsWith('line ')).toBe(true);
  });

  it('keeps lines whole across its 256 KB blocks, multibyte characters included', async () => {
    const path = join(fresh(), 'flood.log');
    // ~700 KB in one append (one block cannot hold it) with 3-byte characters, so block borders fall
    // inside lines and inside characters; 100 KB files, so rotations fall near those borders.
    const lines = Array.from({ length: 6000 }, (_, i) => `${i} ${'é€'.repeat(20)}\n`);
    const file = new RotatingFile(path, { maxBytes: 100_000, keep: 20, onError: (e) => expect.fail(e.message) });
    file.append(lines.slice(0, 4000).join(''));
    for (const text of lines.slice(4000)) file.append(text);
    await file.close();
    const names = readdirSync(dir);
    expect(names.length).toBeGreaterThan(6);
    for (const name of names) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100_000);
      expect(text).toMatch(/^\d+ (é€){20}\n/);
      expect(text.endsWith('\n')).toBe(true);
    }
    expect(collect(path, 20)).toBe(lines.join(''));
  });

  it('appendLines copies runs of lines from bytes, prefix and newline added, whole across block borders', async () => {
    const path = join(fresh(), 'bytes.log');
    // 20,000 lines of varying length in chunks of 1000 (~1.3 MB): lines straddle the 256 KB blocks at
    // different offsets; a line longer than a block takes the piecewise path too.
    const texts = Array.from({ length: 20_000 }, (_, i) => `${i} ${'y'.repeat(i % 97)}`);
    texts[12_345] = 'z'.repeat(300_000);
    const prefix = Buffer.from('T [err] ');
    const file = new RotatingFile(path, { maxBytes: 1e9, keep: 1, onError: (e) => expect.fail(e.message) });
    for (let c = 0; c < texts.length; c += 1000) {
      const chunk = Buffer.from(`${texts.slice(c, c + 1000).join('\n')}\n`);
      const starts: number[] = [];
      const ends: number[] = [];
      for (let at = 0; at < chunk.length; at = ends.at(-1)! + 1) {
        starts.push(at);
        ends.push(chunk.indexOf(0x0a, at));
      }
      // Two calls per chunk: a run ends anywhere.
      file.appendLines(prefix, chunk, starts, ends, 0, 10);
      file.appendLines(prefix, chunk, starts, ends, 10, starts.length);
    }
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(texts.map((text) => `T [err] ${text}\n`).join(''));
  });

  it('gives a line longer than maxBytes a file of its own', async () => {
    const path = join(fresh(), 'big.log');
    const file = new RotatingFile(path, { maxBytes: 100, keep: 1, onError: (e) => expect.fail(e.message) });
    const long = `${'y'.repeat(300)}\n`;
    file.append(`short\n${long}after\n`);
    await file.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(long);
    expect(readFileSync(path, 'utf8')).toBe('after\n');
  });

  it('reports the first error once (a folder that is a file) and stops', async () => {
    const blocker = join(fresh(), 'not-a-folder');
    writeFileSync(blocker, '');
    const errors: NodeJS.ErrnoException[] = [];
    const file = new RotatingFile(join(blocker, 'logs', 'web.1.log'), { maxBytes: 1000, keep: 1, onError: (e) => errors.push(e) });
    file.append('one\n');
    file.flush();
    await file.close();
    file.append('two\n');
    await file.close();
    expect(errors.map((e) => e.code)).toEqual(['ENOTDIR']);
  });

  it('reports a folder it may not write to (when permissions apply: not as root)', async ({ skip }) => {
    if (process.getuid?.() === 0) skip();
    const locked = join(fresh(), 'locked');
    mkdirSync(locked, { mode: 0o500 });
    const errors: NodeJS.ErrnoException[] = [];
    const file = new RotatingFile(join(locked, 'web.1.log'), { maxBytes: 1000, keep: 1, onError: (e) => errors.push(e) });
    file.append('one\n');
    await file.close();
    expect(errors.map((e) => e.code)).toEqual(['EACCES']);
  });

  it("holds a quiet file's few lines in a small block, not a full one", async () => {
    fresh();
    const files = Array.from(
      { length: 50 },
      (_, i) => new RotatingFile(join(dir, `p${i}.log`), { maxBytes: 1 << 20, keep: 1, onError: () => {} }),
    );
    const before = process.memoryUsage().arrayBuffers;
    for (const file of files) file.append('started with pid 1234\n');
    // Pending, not written yet: 50 full blocks would be 12.5 MB.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 64 * 1024);
    await Promise.all(files.map((file) => file.close()));
    expect(files.map((file) => readFileSync(file.path, 'utf8'))).toEqual(files.map(() => 'started with pid 1234\n'));
  });

  it('lets the pool of written blocks go once the flood is over', async () => {
    const path = join(fresh(), 'flood.log');
    const file = new RotatingFile(path, { maxBytes: 64 * 1024 * 1024, keep: 1, onError: () => {} });
    for (let i = 0; i < 20_000; i++) file.append(line(i)); // 1 MB: several full blocks
    await file.close();
    expect(statSync(path).size).toBe(20_000 * line(0).length);
    expect(pooledBlocks()).toBeGreaterThan(0);
    await waitFor(() => pooledBlocks() === 0, { timeoutMs: 5000, what: 'the block pool to be emptied' });
  });
});
