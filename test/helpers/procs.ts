import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from '../../src/engine/proc-table.js';

/** Pids of live (non-zombie) processes whose environment holds `KEY=value`: how tests find survivors. */
export function pidsWithMarker(key: string, value: string): number[] {
  const needle = `${key}=${value}`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'))?.state === 'Z') continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(needle)) pids.push(Number(name));
    } catch {
      // gone already
    }
  }
  return pids;
}

/** Cleanup by pid for whatever a failed test left behind. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** Process-group id of a pid (field 5 of /proc/PID/stat). */
export function pgidOf(pid: number): number | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.pgrp;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    const info = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return info !== undefined && info.state !== 'Z';
  } catch {
    return false;
  }
}
