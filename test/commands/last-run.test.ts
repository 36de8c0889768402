import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunPath, readLastRun, writeLastRun } from '../../src/commands/last-run.js';
import type { RunSummary } from '../../src/engine/run-summary.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});
const folder = () => (root = mkdtempSync(join(tmpdir(), 'devrun-last-run-')));

const summary = (dir: string): RunSummary => ({
  version: 1,
  runId: 'run-1',
  pid: 4242,
  root: dir,
  procfile: join(dir, 'Procfile'),
  mode: 'background',
  startedAt: '2026-12-01T09:00:00.000Z',
  endedAt: '2026-12-01T09:05:00.000Z',
  exitCode: 3,
  failed: true,
  internalError: false,
  hungUp: false,
  processCount: 2,
  unclean: [{ name: 'web.1', state: 'crashed', exit: { code: 3, signal: null }, restarts: 0, why: null, lastLines: ['boom'] }],
  logDir: null,
});

describe('.devrun/last-run.json', () => {
  it('is written 0600 in a 0700 .devrun, replacing the last one, with no tmp file left; and read back', () => {
    const dir = folder();
    expect(writeLastRun({ ...summary(dir), pid: 1 })).toBeUndefined();
    expect(writeLastRun(summary(dir))).toBeUndefined();
    expect(statSync(lastRunPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.devrun')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, '.devrun')).sort()).toEqual(['.gitignore', 'last-run.json']);
    expect(readLastRun(dir)).toEqual(summary(dir));
  });

  it('a later version with more fields is read', () => {
    const dir = folder();
    mkdirSync(join(dir, '.devrun'));
    writeFileSync(lastRunPath(dir), JSON.stringify({ ...summary(dir), version: 2, newField: [1] }));
    expect(readLastRun(dir)).toMatchObject({ version: 2, pid: 4242 });
  });

  it.each([
    ['not JSON', '{"version": 1,'],
    ['no unclean list', JSON.stringify({ ...summary('/x'), unclean: undefined })],
    ['a line that is not text', JSON.stringify({ ...summary('/x'), unclean: [{ ...summary('/x').unclean[0], lastLines: [1] }] })],
    ['no exit', JSON.stringify({ ...summary('/x'), unclean: [{ ...summary('/x').unclean[0], exit: undefined }] })],
    ['a string pid', JSON.stringify({ ...summary('/x'), pid: '4242' })],
    ['not an object', '[]'],
  ])('is not trusted when it is %s', (_what, text) => {
    const dir = folder();
    mkdirSync(join(dir, '.devrun'));
    writeFileSync(lastRunPath(dir), text);
    expect(readLastRun(dir)).toBeUndefined();
  });

  it('is not followed through a symlink, and a missing one is undefined', () => {
    const dir = folder();
    expect(readLastRun(dir)).toBeUndefined();
    mkdirSync(join(dir, '.devrun'));
    writeFileSync(join(dir, 'elsewhere.json'), JSON.stringify(summary(dir)));
    symlinkSync(join(dir, 'elsewhere.json'), lastRunPath(dir));
    expect(readLastRun(dir)).toBeUndefined();
  });

  it('says why it cannot be written', () => {
    const dir = folder();
    writeFileSync(join(dir, '.devrun'), 'a file, not a folder');
    expect(writeLastRun(summary(dir))).toMatch(/\.devrun is not a folder/);
  });
});
