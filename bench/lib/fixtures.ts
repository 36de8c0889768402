// Temporary workload folders: the writer script, Procfiles, mprocs configs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Quotes one word for /bin/sh. */
export const shq = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

let root: string | undefined;

/** The bench's private temp folder (removed by removeRoot at the end). */
export function benchRoot(): string {
  root ??= mkdtempSync(path.join(os.tmpdir(), 'devrun-bench-'));
  return root;
}

export function removeRoot(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

let counter = 0;
export function makeDir(label: string): string {
  const dir = path.join(benchRoot(), `${String(++counter).padStart(3, '0')}-${label}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The writer: N lines `<id> <8-digit counter> <60 x's>` in 1000-line chunks, waiting for 'drain' when
 * a write is refused; given `until:FILE` instead of N, it writes until FILE exists. When everything is
 * written (and flushed) it records its start/end times and line count in $BENCH_DONE_DIR/<id>.json; with
 * `linger` it then stays alive doing nothing.
 */
const WRITER = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [id, count, linger] = process.argv.slice(2);
const stopFile = count.startsWith('until:') ? count.slice(6) : undefined;
const n = stopFile ? Infinity : Number(count);
const start = performance.timeOrigin + performance.now();
const xs = 'x'.repeat(60);
process.stdout.on('error', () => process.exit(0));
let i = 0;
function pump() {
  while (i < n) {
    if (stopFile && fs.existsSync(stopFile)) break;
    let chunk = '';
    const end = Math.min(n, i + 1000);
    while (i < end) {
      i += 1;
      chunk += id + ' ' + String(i).padStart(8, '0') + ' ' + xs + '\\n';
    }
    if (!process.stdout.write(chunk)) {
      process.stdout.once('drain', pump);
      return;
    }
  }
  process.stdout.write('', finish);
}
function finish() {
  const dir = process.env.BENCH_DONE_DIR;
  const end = performance.timeOrigin + performance.now();
  if (dir) fs.writeFileSync(path.join(dir, id + '.json'), JSON.stringify({ id, n: i, start, end }));
  if (linger === 'linger') setInterval(() => {}, 1 << 30);
}
pump();
`;

let writerPath: string | undefined;
function writerScript(): string {
  if (!writerPath) {
    writerPath = path.join(benchRoot(), 'writer.cjs');
    writeFileSync(writerPath, WRITER);
  }
  return writerPath;
}

export function writerCommand(id: string, lines: number, linger = false): string {
  return `node ${shq(writerScript())} ${id} ${lines}${linger ? ' linger' : ''}`;
}

/** A writer that floods until `stopFile` exists (its done file then says how many lines it wrote). */
export function floodUntilCommand(id: string, stopFile: string): string {
  return `node ${shq(writerScript())} ${id} ${shq(`until:${stopFile}`)}`;
}

export interface Entry {
  name: string;
  command: string;
}

export function writeProcfile(dir: string, entries: Entry[]): string {
  const file = path.join(dir, 'Procfile');
  writeFileSync(file, entries.map((e) => `${e.name}: ${e.command}\n`).join(''));
  return file;
}

/** mprocs.yaml with the same processes (a JSON string is a valid YAML scalar). */
export function writeMprocsConfig(dir: string, entries: Entry[]): string {
  const file = path.join(dir, 'mprocs.yaml');
  writeFileSync(file, `procs:\n${entries.map((e) => `  ${e.name}:\n    shell: ${JSON.stringify(e.command)}\n`).join('')}`);
  return file;
}

/** A fresh, empty folder for the writers' completion files. */
export function freshDoneDir(dir: string, label: string): string {
  const done = path.join(dir, `done-${label}`);
  rmSync(done, { recursive: true, force: true });
  mkdirSync(done, { recursive: true });
  return done;
}

export interface WriterDone {
  id: string;
  n: number;
  start: number;
  end: number;
}

export function readDone(doneDir: string): WriterDone[] {
  const out: WriterDone[] = [];
  for (const file of readdirSync(doneDir)) {
    try {
      out.push(JSON.parse(readFileSync(path.join(doneDir, file), 'utf8')) as WriterDone);
    } catch {
      // being written right now: read again on the next poll
    }
  }
  return out;
}

export const doneCount = (doneDir: string) => readdirSync(doneDir).filter((f) => f.endsWith('.json')).length;

/** First writer start to last writer end, seconds. */
export function writerSpan(done: WriterDone[]): number | undefined {
  if (done.length === 0) return undefined;
  return (Math.max(...done.map((d) => d.end)) - Math.min(...done.map((d) => d.start))) / 1000;
}
