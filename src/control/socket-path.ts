import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import type { InstanceKey } from './instance-key.js';
import { ensureDevrunDir, ensurePrivateDir } from './private-dir.js';

/**
 * Where an instance's control socket lives. Best: `<root>/.devrun/<id>.sock`, beside the project, in a
 * folder only we can enter. A unix socket path has a hard limit (sun_path: 108 bytes with the NUL on
 * Linux, 104 on macOS and the BSDs), and Node 20 does not refuse a longer one: it silently cuts it and
 * binds a socket under the cut name elsewhere. So every path is measured in UTF-8 bytes, not characters,
 * before bind and before connect (`socketPathProblem`). When the project path is too long, or binding
 * there fails (some network and shared folders cannot hold a socket), the socket goes to
 * `/tmp/devrun-<uid>/<id>.sock` instead, in a folder checked to be ours and 0700 (see private-dir.ts).
 * Not $XDG_RUNTIME_DIR: it is deleted when the user's last session ends, stranding a detached devrun.
 * Preparing a place creates its folder, so candidates are yielded lazily: the fallback folder is only
 * made when it is needed.
 */
export type SocketPath = { ok: true; path: string } | { ok: false; reason: string };

export interface SocketPathOptions {
  /** Where the fallback folder goes; '/tmp' unless a test says otherwise. */
  tmpBase?: string;
}

export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** Why a path cannot name a unix socket, or undefined when it can. */
export function socketPathProblem(path: string): string | undefined {
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes <= MAX_SOCKET_PATH_BYTES) return undefined;
  return `socket path is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte limit of unix sockets: ${path}`;
}

/** `<root>/.devrun/<id>.sock`, with `.devrun` made private; refused when too long or not ours. */
export function projectSocketPath(key: InstanceKey): SocketPath {
  const path = join(key.root, '.devrun', `${key.id}.sock`);
  const problem = socketPathProblem(path);
  if (problem) return { ok: false, reason: problem };
  const dir = ensureDevrunDir(key.root);
  if (!dir.ok || !dir.private) return { ok: false, reason: dir.reason };
  return { ok: true, path };
}

/** `/tmp/devrun-<uid>/<id>.sock`, with the folder created or checked (refused if someone else made it). */
export function fallbackSocketPath(key: InstanceKey, options: SocketPathOptions = {}): SocketPath {
  const uid = process.getuid?.();
  if (uid === undefined) return { ok: false, reason: 'unix control sockets need a system with user ids' };
  const dir = join(options.tmpBase ?? '/tmp', `devrun-${uid}`);
  const path = join(dir, `${key.id}.sock`);
  const problem = socketPathProblem(path);
  if (problem) return { ok: false, reason: problem };
  const prepared = ensurePrivateDir(dir);
  return prepared.ok ? { ok: true, path } : prepared;
}

/**
 * The places to try binding, best first, each prepared only when the caller asks for the next: bind at
 * the first `ok` one and move on when bind fails there. When all fail, the last reason is the one to show.
 */
export function* candidateSocketPaths(key: InstanceKey, options: SocketPathOptions = {}): Generator<SocketPath> {
  yield projectSocketPath(key);
  yield fallbackSocketPath(key, options);
}

/** The first usable place (for a caller that does not retry after a failed bind), or the last reason. */
export function chooseSocketPath(key: InstanceKey, options: SocketPathOptions = {}): SocketPath {
  let last: SocketPath = { ok: false, reason: 'no place for a control socket' };
  for (const candidate of candidateSocketPaths(key, options)) {
    if (candidate.ok) return candidate;
    last = candidate;
  }
  return last;
}
