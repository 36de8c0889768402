import { describe, expect, it } from 'vitest';
import { logFilesDir, parseLogSize, parseSince, sinceTime } from '../../src/config/log-files.js';
import { parseArgs } from '../../src/config/options.js';

const options = (args: string[]) => {
  const parsed = parseArgs(args);
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};
const refused = (args: string[]) => {
  const parsed = parseArgs(args);
  if (parsed.kind !== 'exit') throw new Error(`expected a refusal, got ${JSON.stringify(parsed)}`);
  return parsed;
};

describe('log file flags', () => {
  it("default to the Procfile's folder in .devrun/logs, 10M per file, 3 kept, colours stripped", () => {
    expect(options([])).toMatchObject({ logFiles: true, logDir: undefined, logSize: 10 * 1024 * 1024, logKeep: 3, logColors: false });
    expect(options(['--no-log-files', '--log-dir', 'tmp/logs', '--log-size', '500K', '--log-keep', '0', '--log-colors'])).toMatchObject({
      logFiles: false,
      logDir: 'tmp/logs',
      logSize: 500 * 1024,
      logKeep: 0,
      logColors: true,
    });
    expect(options(['logs', '--log-dir', 'tmp/logs'])).toMatchObject({ verb: 'logs', logDir: 'tmp/logs' });
  });

  it.each([
    ['10M', 10 * 1024 ** 2],
    ['500k', 500 * 1024],
    ['1G', 1024 ** 3],
    ['65536', 65_536],
    ['2MiB', 2 * 1024 ** 2],
    ['1.5M', 1.5 * 1024 ** 2],
  ])('--log-size %s is %d bytes', (text, bytes) => {
    expect(parseLogSize(text)).toBe(bytes);
  });

  it.each(['', 'big', '10X', '0', '100'])('--log-size %j is refused in one line (exit 2)', (text) => {
    const { code, stderr } = refused(['--log-size', text]);
    expect(code).toBe(2);
    expect(stderr?.split('\n')[0]).toBe(`devrun: --log-size must be a size of at least 1K, like 10M, 500K or 65536 (bytes), got "${text}"`);
  });

  it('--log-keep must be a whole number', () => {
    expect(refused(['--log-keep', 'two']).code).toBe(2);
  });

  it('the folder is resolved from the project root, or there is none', () => {
    expect(logFilesDir('/app', '/app/Procfile', { logFiles: true, logDir: 'logs' })).toBe('/app/logs');
    expect(logFilesDir('/app', '/app/Procfile', { logFiles: true, logDir: '/var/log/app' })).toBe('/var/log/app');
    expect(logFilesDir('/app', '/app/Procfile', { logFiles: false, logDir: '.devrun/logs' })).toBeUndefined();
    // The default: one folder per Procfile, so `-f Procfile.dev` beside `Procfile` writes files of its own.
    expect(logFilesDir('/app', '/app/Procfile', { logFiles: true, logDir: undefined })).toBe('/app/.devrun/logs');
    expect(logFilesDir('/app', undefined, { logFiles: true, logDir: undefined })).toBe('/app/.devrun/logs');
    expect(logFilesDir('/app', '/app/Procfile.dev', { logFiles: true, logDir: undefined })).toBe('/app/.devrun/logs/Procfile.dev');
    expect(logFilesDir('/app', '/app/ops/Procfile', { logFiles: true, logDir: undefined })).toBe('/app/.devrun/logs/ops_Procfile');
  });
});

describe('logs --since', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
  ])('%s is that long before now', (text, ms) => {
    expect(sinceTime(parseSince(text), now)).toBe(now - ms);
  });

  it('a date or date and time is local time', () => {
    expect(parseSince('2026-12-01T09:30')).toEqual({ kind: 'at', ms: new Date(2026, 11, 1, 9, 30).getTime() });
    expect(parseSince('2026-12-01 09:30:15')).toEqual({ kind: 'at', ms: new Date(2026, 11, 1, 9, 30, 15).getTime() });
    expect(parseSince('2026-12-01')).toEqual({ kind: 'at', ms: new Date(2026, 11, 1).getTime() });
    expect(parseSince('2026-12-01T09:30:00Z')).toEqual({ kind: 'at', ms: Date.parse('2026-12-01T09:30:00Z') });
  });

  it.each(['yesterday', '10', '10 minutes', '2026-13-45', '5w'])('%j is refused in one line (exit 2)', (text) => {
    const { code, stderr } = refused(['logs', '--since', text]);
    expect(code).toBe(2);
    expect(stderr?.split('\n')[0]).toBe(
      `devrun: --since must be a time ago like 30s, 10m, 2h, 1d or a date like 2026-12-01T09:30, got "${text}"`,
    );
  });
});
