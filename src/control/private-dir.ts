import { chmodSync, lstatSync, mkdirSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folders that hold control sockets and instance records, made so only their owner can reach them.
 *
 * `<root>/.devrun/`: created 0700; devrun made it with the default mode in earlier versions, so one we
 * own is tightened to 0700, and it gets a `.gitignore` of `*` when it has none. One owned by someone
 * else is left alone and reported as not private (a socket must not go there). It may be a symlink to
 * a folder (the user's choice); what counts is the folder it leads to.
 *
 * The fallback socket folder (`/tmp/devrun-<uid>`) lives where anyone can create names, so it is never
 * repaired, only checked: created 0700, then lstat must find a folder (not a symlink), owned by us, mode
 * exactly 0700. Anything else was made by someone else (possibly to catch our socket), so it is refused
 * with one line saying what was found. Every failure is a value, never an exception.
 */
export type DevrunDir =
  | { ok: true; path: string; private: true }
  | { ok: true; path: string; private: false; reason: string }
  | { ok: false; reason: string };
export type PrivateDir = { ok: true; path: string } | { ok: false; reason: string };

const MODE = 0o700;

export function devrunDir(root: string): string {
  return join(root, '.devrun');
}

/** Creates or tightens `<root>/.devrun`; `private` says whether a socket may live there. */
export function ensureDevrunDir(root: string): DevrunDir {
  const path = devrunDir(root);
  let stats: Stats;
  try {
    mkdirQuietly(path);
    stats = statSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot create ${path} (${codeOf(error)})` };
  }
  if (!stats.isDirectory()) return { ok: false, reason: `${path} is not a folder` };
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    return { ok: true, path, private: false, reason: `${path} belongs to uid ${stats.uid}, not to you (uid ${uid})` };
  }
  try {
    if ((stats.mode & 0o7777) !== MODE) chmodSync(path, MODE);
  } catch (error) {
    return { ok: false, reason: `cannot make ${path} private (${codeOf(error)})` };
  }
  try {
    writeFileSync(join(path, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') return { ok: false, reason: `cannot write ${join(path, '.gitignore')} (${codeOf(error)})` };
  }
  return { ok: true, path, private: true };
}

/** A folder only we can enter, in a place others can write to; refused unless it is exactly that. */
export function ensurePrivateDir(path: string): PrivateDir {
  try {
    // mkdir's mode passes through the umask; a umask that strips owner bits would leave it unusable.
    if (mkdirQuietly(path)) chmodSync(path, MODE);
  } catch (error) {
    return { ok: false, reason: `cannot create ${path} (${codeOf(error)})` };
  }
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot check ${path} (${codeOf(error)})` };
  }
  const uid = process.getuid?.();
  const mode = stats.mode & 0o7777;
  const refuse = (found: string) => ({
    ok: false as const,
    reason: `refusing ${path}: ${found}; someone else may have made it to catch devrun's socket (remove it if you trust that it is harmless)`,
  });
  if (stats.isSymbolicLink()) return refuse('it is a symlink, not a folder');
  if (!stats.isDirectory()) return refuse('it is not a folder');
  if (uid !== undefined && stats.uid !== uid) return refuse(`it belongs to uid ${stats.uid}, not to you (uid ${uid})`);
  if (mode !== MODE) return refuse(`its mode is ${mode.toString(8).padStart(4, '0')}, not 0700`);
  return { ok: true, path };
}

/** mkdir 0700; true if it made the folder, false if something was already there. */
function mkdirQuietly(path: string): boolean {
  try {
    mkdirSync(path, { mode: MODE });
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
