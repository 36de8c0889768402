import { readdirSync, readFileSync } from 'node:fs';

/**
 * The inotify watches a process holds, as the kernel lists them in /proc/PID/fdinfo (`inotify wd:` lines,
 * each with the watched inode in hex `ino:`): what a test counts to prove a folder is, or is not, watched.
 */
export function inotifyWatches(pid: number | 'self' = 'self'): { wd: number; ino: number }[] {
  const watches: { wd: number; ino: number }[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return watches;
  }
  for (const fd of fds) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed meanwhile
    }
    for (const match of text.matchAll(/^inotify wd:(\w+) ino:(\w+)/gm)) {
      watches.push({ wd: Number.parseInt(match[1]!, 16), ino: Number.parseInt(match[2]!, 16) });
    }
  }
  return watches;
}
