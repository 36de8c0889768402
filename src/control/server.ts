/**
 * The control socket's server: listens on a unix socket and gives each client a ControlConnection
 * (connection.ts) that speaks the protocol (protocol.ts) to the run's ControlTarget.
 *
 * - The caller picks the path (discovery is not this module's job) and clears a stale socket file
 *   first with prepareSocketPath (socket-file.ts, re-exported here). listen() fails if the path is
 *   taken, or too long for a unix socket (Node would silently bind a truncated path).
 * - Owner only: the socket is bound under umask 0177, so it is created with mode 0600 and there is no
 *   window in which others may connect. The umask is the process's: a file that the libuv thread pool
 *   happens to create during that synchronous bind gets a stricter mode too (harmless). Where the umask
 *   cannot be changed (worker threads), the socket is bound under the process umask and chmod-ed to
 *   0600 right after, in the same synchronous call; in those microseconds its mode is what the umask
 *   gives, but connecting needs write permission, so with the usual umask 022 (or a private group's
 *   002) no other user can connect then either. The directory holding the socket should be private too.
 * - At most maxConnections clients at once; more are dropped as they connect.
 * - Nothing a client sends makes the server throw; accept errors (EMFILE) go to onError.
 * - close(): stop accepting, let every connection answer what it has in flight (within a grace
 *   period), close them all, and remove the socket file (libuv unlinks it when the server closes).
 */
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import packageJson from '../../package.json' with { type: 'json' };
import { ControlConnection } from './connection.js';
import { Dispatcher } from './dispatch.js';
import { OUTPUT_CAP, PROTOCOL_VERSIONS } from './protocol.js';
import { socketPathProblem } from './socket-path.js';
import type { ControlTarget } from './target.js';

export { prepareSocketPath, SocketPathError } from './socket-file.js';

export interface ControlServerOptions {
  /** Reported in the hello. Default: this package's version. */
  devrun?: string;
  /** Protocol versions served. Default: PROTOCOL_VERSIONS. */
  versions?: readonly number[];
  /** Default 256. */
  maxConnections?: number;
  /** Default OUTPUT_CAP. */
  outputCap?: number;
  /** Server errors after listen (accept failures); ignored by default. */
  onError?: (error: Error) => void;
}

export class ControlServer {
  private readonly dispatcher: Dispatcher;
  private readonly options: ControlServerOptions;
  private readonly connections = new Set<ControlConnection>();
  private server: Server | undefined;
  private closed: Promise<void> | undefined;
  private onDrained: (() => void) | undefined;

  constructor(target: ControlTarget, options: ControlServerOptions = {}) {
    this.dispatcher = new Dispatcher(target);
    this.options = options;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes held for unfinished frames, over all connections (diagnostics, tests). */
  get bufferedBytes(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.bufferedBytes;
    return total;
  }

  /** Bytes of output waiting in devrun for readers, sockets and subscription queues (diagnostics, tests). */
  get queuedBytes(): number {
    let total = 0;
    for (const connection of this.connections) total += connection.queuedBytes;
    return total;
  }

  listen(path: string): Promise<void> {
    if (this.server !== undefined) return Promise.reject(new Error('the control server is already listening'));
    const tooLong = socketPathProblem(path);
    if (tooLong) return Promise.reject(new Error(tooLong));
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections ?? 256;
    this.server = server;
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', failed);
      // listen() binds synchronously: the umask applies to the file bind creates, and the chmod
      // fallback runs right after the bind.
      const umask = setUmask(0o177);
      try {
        server.listen({ path, exclusive: true }, () => {
          server.off('error', failed);
          server.on('error', (error) => this.options.onError?.(error));
          resolve();
        });
      } finally {
        if (umask !== undefined) setUmask(umask);
      }
      if (umask === undefined && server.listening) {
        try {
          chmodSync(path, 0o600);
        } catch (error) {
          server.off('error', failed);
          server.close();
          failed(error as Error);
        }
      }
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    this.closed ??= new Promise((resolve) => {
      // The server's close callback can come before the last connections' 'close' events.
      server.close(() => {
        if (this.connections.size === 0) resolve();
        else this.onDrained = resolve;
      });
      for (const connection of this.connections) connection.drain();
    });
    return this.closed;
  }

  private accept(socket: Socket): void {
    const connection = new ControlConnection(socket, {
      dispatcher: this.dispatcher,
      devrun: this.options.devrun ?? packageJson.version,
      versions: this.options.versions ?? PROTOCOL_VERSIONS,
      outputCap: this.options.outputCap ?? OUTPUT_CAP,
    });
    this.connections.add(connection);
    socket.once('close', () => {
      this.connections.delete(connection);
      if (this.connections.size === 0) this.onDrained?.();
    });
    if (this.closed !== undefined) connection.drain();
  }
}

/** Sets the umask and returns the previous one; undefined where it cannot be set (worker threads). */
function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined;
  }
}
