import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LineSplitter } from '../../src/engine/line-splitter.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Blocks the event loop, as a loaded machine does: at least `ms`, and until `until()` holds (10 s at most). */
function stall(ms: number, until: () => boolean): void {
  const start = Date.now();
  while (Date.now() - start < ms || (!until() && Date.now() - start < 10_000)) {}
}

// A child prints half a line, and the rest once told; devrun's loop stalls past the idle flush while
// the rest is already in the pipe. The timer is due before the pipe is read: the line must stay whole.
it("a stall of devrun's own loop does not split a line whose rest is already in the pipe", async () => {
  dir = mkdtempSync(join(tmpdir(), 'devrun-stall-'));
  const written = join(dir, 'written');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `process.stdout.write('abc');
       process.stdin.once('data', () => { process.stdout.write('def\\n'); require('fs').writeFileSync(${JSON.stringify(written)}, ''); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const splitter = new LineSplitter({ onLine: (text) => lines.push(text), idleFlushMs: 100 });
  let first = true;
  child.stdout.on('data', (chunk: Buffer) => {
    splitter.push(chunk);
    if (!first) return;
    first = false;
    child.stdin.write('go');
    stall(250, () => existsSync(written));
  });
  await once(child, 'close');
  splitter.end();
  expect(lines).toEqual(['abcdef']);
});
