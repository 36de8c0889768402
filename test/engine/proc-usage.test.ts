import { describe, expect, it } from 'vitest';
import { hasProcFs } from '../../src/engine/proc-table.js';
import { ProcUsage } from '../../src/engine/proc-usage.js';

/** A /proc/PID/stat line: utime, stime (ticks), start (ticks after boot), rss (pages); the name has a space and a ')'. */
const stat = (pid: number, utime: number, stime: number, start: number, rss: number) => {
  const fields = Array.from({ length: 50 }, () => '0');
  fields[0] = 'S';
  fields[11] = String(utime);
  fields[12] = String(stime);
  fields[19] = String(start);
  fields[21] = String(rss);
  return `${pid} (my (odd) name) ${fields.join(' ')}\n`;
};

/** A fake /proc: files by path, changed by the test between rounds. */
function fakeProc(files: Record<string, string>) {
  return (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

describe('ProcUsage', () => {
  const self = { '/proc/self/statm': '5000 2500 100 1 0 300 0\n', '/proc/self/status': 'Name:\tnode\nVmRSS:\t   10000 kB\n' };

  it('gives CPU% since the last round and RSS in bytes (page size from statm and status)', () => {
    const files: Record<string, string> = { ...self, '/proc/uptime': '1000.00 50.00\n', '/proc/42/stat': stat(42, 100, 50, 90_000, 256) };
    const usage = new ProcUsage(fakeProc(files));
    // Seen first: 150 ticks (1.5 s) over the 100 s since it started at 900 s.
    expect(usage.sample([42]).get(42)).toEqual({ cpu: 1.5, memory: 256 * 4096 });
    files['/proc/uptime'] = '1002.00 51.00\n';
    files['/proc/42/stat'] = stat(42, 200, 50, 90_000, 512);
    // 100 ticks (1 s) over 2 s.
    expect(usage.sample([42]).get(42)).toEqual({ cpu: 50, memory: 512 * 4096 });
  });

  it('counts a reused pid (another start time) as a new process, and leaves out a pid that is gone', () => {
    const files: Record<string, string> = { ...self, '/proc/uptime': '1000.00 0\n', '/proc/42/stat': stat(42, 500, 0, 90_000, 1) };
    const usage = new ProcUsage(fakeProc(files));
    usage.sample([42, 43]);
    files['/proc/uptime'] = '1010.00 0\n';
    files['/proc/42/stat'] = stat(42, 10, 0, 100_500, 1); // started at 1005 s, 0.1 s of CPU since
    const next = usage.sample([42, 43]);
    expect(next.get(42)?.cpu).toBeCloseTo(2, 5);
    expect(next.has(43)).toBe(false);
  });

  it('reads 16 KB pages where the machine has them', () => {
    const files = {
      '/proc/self/statm': '5000 640 1 1 0 1 0\n',
      '/proc/self/status': 'VmRSS:\t   10240 kB\n',
      '/proc/uptime': '5 0',
      '/proc/7/stat': stat(7, 0, 0, 100, 2),
    };
    expect(new ProcUsage(fakeProc(files)).sample([7]).get(7)?.memory).toBe(2 * 16384);
  });

  it.runIf(hasProcFs)("measures this process's memory as the kernel reports it", () => {
    const memory = new ProcUsage().sample([process.pid]).get(process.pid)?.memory ?? 0;
    const rss = process.memoryUsage().rss;
    expect(memory).toBeGreaterThan(rss * 0.8);
    expect(memory).toBeLessThan(rss * 1.25);
  });
});
