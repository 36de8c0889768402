/**
 * Clears the way for a control socket at a path, before ControlServer.listen binds it.
 *
 * - Nothing there: nothing to do.
 * - A socket nobody listens on (connecting is refused: the devrun that made it was killed before it
 *   could remove it) is stale: it is removed.
 * - A socket somebody answers on belongs to a live devrun: SocketPathError `in-use`. A live socket is
 *   never taken over, even if its devrun looks stuck.
 * - Anything else (a regular file, a directory, a link) is not ours to delete: `not-a-socket`.
 * - A socket that cannot be probed (no permission, the kernel's backlog full, no answer within
 *   timeoutMs): `undetermined`, and it is left alone.
 *
 * Between the probe and the bind another process could take the path; the caller holds devrun's
 * instance lock for the project (engine/instance-lock.ts), so no other devrun races for it.
 */
import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';

export class SocketPathError extends Error {
  readonly code: 'in-use' | 'not-a-socket' | 'undetermined';

  constructor(code: SocketPathError['code'], message: string) {
    super(message);
    this.name = 'SocketPathError';
    this.code = code;
  }
}

export async function prepareSocketPath(path: string, { timeoutMs = 1000 }: { timeoutMs?: number } = {}): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!isSocket) throw new SocketPathError('not-a-socket', `${path} exists and is not a socket: refusing to replace it`);
  const probe = await probeSocket(path, timeoutMs);
  if (probe === 'gone') return;
  if (probe === 'live') throw new SocketPathError('in-use', `another devrun serves ${path}`);
  if (probe === 'stale') {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return;
  }
  throw new SocketPathError('undetermined', `cannot tell whether ${path} is in use (${probe}): refusing to replace it`);
}

/** live, stale (refused), gone (removed meanwhile), or the error code that left it undetermined. */
function probeSocket(path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (result: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('no answer'), timeoutMs);
    socket.once('connect', () => done('live'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done(error.code === 'ECONNREFUSED' ? 'stale' : error.code === 'ENOENT' ? 'gone' : (error.code ?? error.message));
    });
  });
}
