import { createServer, type Server } from 'node:net';

/**
 * One devrun per instance (project root and Procfile), decided atomically by the kernel: the lock is a
 * Linux abstract unix socket named from the uid and the instance's id (a hash of both real paths).
 * bind() either succeeds or fails with EADDRINUSE, there is no file to go stale, and the kernel releases
 * the name when devrun dies, even by SIGKILL (libuv opens sockets close-on-exec, so no child inherits
 * it). Anyone on the machine can connect to an abstract socket, so it never carries commands: a
 * connection is closed at once. Where there are no abstract sockets (not Linux), `acquire` reports
 * `unsupported` and the caller falls back to the pid file.
 */
export type LockResult = { kind: 'acquired'; release(): void } | { kind: 'held' } | { kind: 'unsupported' };

function lockName(instanceId: string): string {
  return `\0devrun-${process.getuid?.() ?? 'user'}-${instanceId}`;
}

export function acquireInstanceLock(instanceId: string): Promise<LockResult> {
  if (process.platform !== 'linux') return Promise.resolve({ kind: 'unsupported' });
  return new Promise((resolve) => {
    const server: Server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' ? { kind: 'held' } : { kind: 'unsupported' });
    });
    server.listen({ path: lockName(instanceId) }, () => {
      // Holding the name must not keep devrun alive on its own.
      server.unref();
      resolve({ kind: 'acquired', release: () => server.close() });
    });
  });
}
