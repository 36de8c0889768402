// Reading /proc: CPU seconds, peak and current RSS, liveness, and finding processes by environment.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

let clkTck: number | undefined;
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

export interface Stat {
  state: string;
  ppid: number;
  /** utime + stime in seconds. */
  cpuSeconds: number;
}

export function readStat(pid: number): Stat | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { state: fields[0] ?? '?', ppid: Number(fields[1]), cpuSeconds: (utime + stime) / ticksPerSecond() };
}

export const cpuSeconds = (pid: number) => readStat(pid)?.cpuSeconds;

/** A field of /proc/PID/status in kB (VmHWM = peak RSS, VmRSS = current); undefined once the process is gone or a zombie. */
export function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const text = read(`/proc/${pid}/status`);
  const match = text?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : undefined;
}

/** Alive and not yet a zombie. */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

export function cmdline(pid: number): string[] {
  return (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((s) => s !== '');
}

export function exeName(pid: number): string {
  try {
    return path.basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return path.basename(cmdline(pid)[0] ?? '');
  }
}

/** Every live process (not this one) whose initial environment holds key=value. */
export function pidsWithEnv(key: string, value: string): number[] {
  const needle = `${key}=${value}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (environ && (environ.startsWith(needle) || environ.includes(`\0${needle}`)) && isRunning(pid)) found.push(pid);
  }
  return found;
}

export const describe = (pid: number) => `${pid} ${cmdline(pid).join(' ').slice(0, 120)}`;

export interface IoBytes {
  /** Bytes read through read(2) and friends: files, pipes, sockets, terminals. */
  rchar: number;
  /** Bytes written the same ways. */
  wchar: number;
}

/** /proc/PID/io's rchar and wchar (every read/write syscall, whatever the fd); undefined once the process is gone. */
export function ioBytes(pid: number): IoBytes | undefined {
  const text = read(`/proc/${pid}/io`);
  const rchar = text?.match(/^rchar:\s+(\d+)/m);
  const wchar = text?.match(/^wchar:\s+(\d+)/m);
  return rchar && wchar ? { rchar: Number(rchar[1]), wchar: Number(wchar[1]) } : undefined;
}
