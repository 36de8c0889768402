import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFollower } from '../../../src/engine/log-files/file-follower.js';
import { LogFileFormatter } from '../../../src/engine/log-files/line-format.js';

let dir: string;
let follower: FileFollower | undefined;
afterEach(() => {
  follower?.close();
  rmSync(dir, { recursive: true, force: true });
});
const formatter = new LogFileFormatter({ colors: false });
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const line = (ms: number, text: string) => formatter.format({ ts: T0 + ms, stream: 'stdout', text });
const texts = (lines: { proc: string; text: string }[]) => lines.map((l) => `${l.proc} ${l.text}`);

describe('FileFollower', () => {
  it('returns what is appended after it started, whole lines only, across processes in time order', () => {
    dir = mkdtempSync(join(tmpdir(), 'devrun-follow-'));
    writeFileSync(join(dir, 'a.1.log'), line(0, 'old'));
    follower = new FileFollower(dir, () => true);
    expect(follower.poll()).toEqual([]);
    appendFileSync(join(dir, 'a.1.log'), `${line(20, 'a new')}${line(40, 'a half').slice(0, 20)}`);
    // A process whose file appears later is read from its start.
    writeFileSync(join(dir, 'b.1.log'), `=== header ===\n${line(10, 'b new')}${line(30, 'b later')}`);
    expect(texts(follower.poll())).toEqual(['b.1 b new', 'a.1 a new', 'b.1 b later']);
    appendFileSync(join(dir, 'a.1.log'), line(40, 'a half').slice(20));
    expect(texts(follower.poll())).toEqual(['a.1 a half']);
  });

  it('reads a rotated file to its end, then the new one', () => {
    dir = mkdtempSync(join(tmpdir(), 'devrun-follow-'));
    const path = join(dir, 'a.1.log');
    writeFileSync(path, line(0, 'before'));
    follower = new FileFollower(dir, (proc) => proc === 'a.1');
    appendFileSync(path, line(1, 'last in the old file'));
    renameSync(path, `${path}.1`);
    writeFileSync(path, line(2, 'first in the new file'));
    writeFileSync(join(dir, 'other.1.log'), line(3, 'not followed'));
    expect(texts(follower.poll())).toEqual(['a.1 last in the old file', 'a.1 first in the new file']);
    appendFileSync(path, line(4, 'more'));
    expect(texts(follower.poll())).toEqual(['a.1 more']);
  });
});
