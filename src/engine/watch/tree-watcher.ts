import { type FSWatcher, watch as fsWatch, lstatSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WatchPlan } from './watch-plan.js';

/** fs.watch's shape, injectable so a test can make the system run out of watches. */
export type WatchFolder = (path: string, listener: (event: string, name: string | null) => void) => FSWatcher;

const watchFolder: WatchFolder = (path, listener) => fsWatch(path, { persistent: false }, (event, name) => listener(event, name));

export interface TreeWatcherOptions {
  /** The project root: the plan's paths are relative to it. */
  root: string;
  plan: WatchPlan;
  /** A file or folder the plan cares about changed (created, written, removed, renamed). */
  onChange: (path: string) => void;
  /** One line when folders cannot be watched (the inotify limit). */
  onProblem: (text: string) => void;
  watch?: WatchFolder;
}

/**
 * Watches the folders a WatchPlan wants with one non-recursive fs.watch each (inotify on Linux, where
 * Node 20 has no recursive watch): walks them at start, watches folders created under them and releases
 * those removed. Ignored folders are never read. close() releases every watch.
 */
export class TreeWatcher {
  /** Watched folder (relative path, '' for the root) → its watcher. */
  private readonly watchers = new Map<string, FSWatcher>();
  private full = false;
  private closed = false;

  constructor(private readonly options: TreeWatcherOptions) {}

  start(): void {
    for (const base of this.options.plan.bases) this.add(existingAncestor(this.options.root, base), false);
  }

  /** How many folders are watched. */
  get size(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Watches a folder and walks it; `report`: it is new, so the files already in it are changes too. */
  private add(dir: string, report: boolean): void {
    const { plan, root, watch = watchFolder } = this.options;
    if (this.closed || this.full || this.watchers.has(dir) || !plan.wants(dir)) return;
    const path = join(root, dir);
    let watcher: FSWatcher;
    try {
      watcher = watch(path, (event, name) => this.changed(dir, event, name));
    } catch (error) {
      this.failed(dir, error as NodeJS.ErrnoException);
      return;
    }
    watcher.on('error', (error) => {
      this.release(dir);
      this.failed(dir, error as NodeJS.ErrnoException);
    });
    this.watchers.set(dir, watcher);
    // A folder with no subfolders has nothing more to watch: its files are not read (unless new, to report them).
    if (!report && hasNoSubfolders(path)) return;
    for (const [name, isDir] of entries(path)) {
      const child = dir === '' ? name : `${dir}/${name}`;
      if (isDir) this.add(child, report);
      else if (report && plan.matters(child)) this.options.onChange(child);
    }
  }

  /** `rename` is a name that came or went (a folder to watch or release); `change` is a file written. */
  private changed(dir: string, event: string, name: string | null): void {
    if (this.closed || !name) return;
    const path = dir === '' ? name : `${dir}/${name}`;
    if (event === 'rename') {
      const isDir = isFolder(join(this.options.root, path));
      if (isDir && !this.watchers.has(path)) this.add(path, true);
      else if (!isDir && this.watchers.has(path)) this.release(path);
      // The watched folder itself was removed (its parent is not watched to say so).
      if (name === basename(dir) && !isFolder(join(this.options.root, dir))) this.release(dir);
    }
    if (this.options.plan.matters(path)) this.options.onChange(path);
  }

  /** Stops watching a folder and everything under it. */
  private release(dir: string): void {
    for (const [path, watcher] of this.watchers) {
      if (path !== dir && !(dir === '' || path.startsWith(`${dir}/`))) continue;
      watcher.close();
      this.watchers.delete(path);
    }
  }

  private failed(dir: string, error: NodeJS.ErrnoException): void {
    if (error.code !== 'ENOSPC') return; // gone, or not ours to read: nothing to watch there
    this.full = true;
    this.options.onProblem(
      `cannot watch ${dir || '.'} and what is left: the system's limit of inotify watches is reached ` +
        `(raise fs.inotify.max_user_watches, e.g. sudo sysctl fs.inotify.max_user_watches=524288); ` +
        `changes in the ${this.watchers.size} folders watched so far still restart it`,
    );
  }
}

/** A folder's entries, each with whether it is a folder; none when it cannot be read (removed meanwhile: its parent's event releases it). */
function entries(path: string): [string, boolean][] {
  try {
    return readdirSync(path, { withFileTypes: true }).map((entry) => [entry.name, entry.isDirectory()]);
  } catch {
    return [];
  }
}

/**
 * A folder's link count is 2 plus its subfolders on ext4, xfs and tmpfs, so 2 means none (GNU find's leaf
 * optimization): not reading the files of such folders keeps a walk of a large tree cheap. Filesystems
 * that do not count (btrfs, many FUSE ones) say 1, and their folders are read.
 */
function hasNoSubfolders(path: string): boolean {
  try {
    return lstatSync(path).nlink === 2;
  } catch {
    return true; // gone: nothing to read
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folder itself, or its nearest parent that exists (whose new folders lead to it are then watched). */
function existingAncestor(root: string, dir: string): string {
  let at = dir;
  while (at !== '' && !isFolder(join(root, at))) at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '';
  return at;
}
