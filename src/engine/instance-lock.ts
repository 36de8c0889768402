import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * One devrun per project root, decided atomically by the kernel: the lock is a Linux abstract unix
 * socket named from the uid and the root's real path. bind() either succeeds or fails with EADDRINUSE,
 * there is no file to go stale, and the kernel releases the name when devrun dies, even by SIGKILL
 * (libuv opens sockets close-on-exec, so no child inherits it). Anyone on the machine can connect to an
 * abstract socket, so it never carries commands: a connection is closed at once. Where there are no
 * abstract sockets (not Linux), `acquire` reports `unsupported` and the caller falls back to the pid file.
 */
export type LockResult = { kind: 'acquired'; release(): void } | { kind: 'held' } | { kind: 'unsupported' };

function lockName(root: string): string {
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // A root that cannot be resolved is refused later, when its files are read.
  }
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 32);
  return `\0devrun-${process.getuid?.() ?? 'user'}-${hash}`;
}

export function acquireInstanceLock(root: string): Promise<LockResult> {
  if (process.platform !== 'linux') return Promise.resolve({ kind: 'unsupported' });
  return new Promise((resolve) => {
    const server: Server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' ? { kind: 'held' } : { kind: 'unsupported' });
    });
    server.listen({ path: lockName(root) }, () => {
      // Holding the name must not keep devrun alive on its own.
      server.unref();
      resolve({ kind: 'acquired', release: () => server.close() });
    });
  });
}
