/**
 * The control socket's client, for the CLI verbs: connect, say hello, ask, close (protocol.ts has the
 * protocol).
 *
 * - connect() resolves once devrun has answered the hello; timeoutMs bounds the connection and the
 *   handshake together (a devrun that accepts but never answers).
 * - request() resolves with the result, or rejects with a ControlError carrying the response's code
 *   (and details, for unknown-process). Requests may be pipelined. No timeout unless one is given: a
 *   shutdown lasts as long as the processes take to stop.
 * - Every failure is a ControlError with a code:
 *     not-running  nothing listens there (ENOENT, ECONNREFUSED): "no devrun serves <path>"
 *     permission   the socket belongs to someone else (EACCES, EPERM)
 *     timeout      no answer in time
 *     backlog      devrun's accept queue is full (EAGAIN); connect() retries it within its timeout
 *     closed       devrun closed the connection (or close() was called) before answering
 *     connection   any other socket error
 *     frame-too-large, bad-json, bad-message: devrun sent something this client cannot read
 *     and the codes devrun sends: version, hello-required... (connection), bad-request,
 *     unknown-process, busy, internal (responses)
 * - A connection-level failure (an `error` message from devrun, a broken frame, the socket closing)
 *   fails every pending request with that error, and the connection is closed; the first failure wins,
 *   so the reset that follows devrun's error message does not hide it.
 * - Message types this client does not know are ignored.
 * - Log lines come out as LogLine objects whatever the protocol version: from 2 on they travel as
 *   columns (line-batch.ts), and this client turns them back (unreadable ones end the connection,
 *   `bad-message`).
 * - subscribe() registers the event handler as its response is read, before any event of it can be
 *   (devrun sends the response first); events of other subscriptions are ignored. pause() and
 *   resume() stop and restart reading the socket: a reader that cannot keep up pauses, and devrun's
 *   bounded queues drop what it misses (a `skipped` event says how much).
 * - `ended` resolves with the failure that ended the connection (devrun went away: `closed`).
 */
import { connect, type Socket } from 'node:net';
import { decodeLines } from './line-batch.js';
import {
  encode,
  FrameReader,
  type JsonObject,
  MAX_FRAME,
  type Op,
  type Ops,
  PROTOCOL_VERSIONS,
  type Request,
  readServerMessage,
  type ServerHello,
} from './protocol.js';
import { socketPathProblem } from './socket-path.js';

/** How long to wait before trying again when devrun's accept queue is full. */
const BACKLOG_RETRY_MS = 25;

export class ControlError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.details = details;
  }
}

export interface ConnectOptions {
  /** Bound on connecting plus the handshake. Default 5000. */
  timeoutMs?: number;
  /** Protocol versions offered. Default PROTOCOL_VERSIONS. */
  versions?: readonly number[];
}

export interface RequestOptions {
  timeoutMs?: number;
}

/** Args may be left out for ops that take none. */
type RequestArgs<K extends Op> =
  Ops[K]['args'] extends Record<string, never>
    ? [args?: Ops[K]['args'], options?: RequestOptions]
    : [args: Ops[K]['args'], options?: RequestOptions];

export type EventHandler = (event: JsonObject) => void;

interface Pending {
  /** The op asked (undefined for the handshake). */
  op?: Op;
  resolve: (result: unknown) => void;
  reject: (error: ControlError) => void;
  timer: NodeJS.Timeout | undefined;
}

export class ControlClient {
  readonly path: string;
  private readonly socket: Socket;
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private info: ServerHello | undefined;
  private handshake: Pending | undefined;
  private failure: ControlError | undefined;
  private readonly handlers = new Map<number, EventHandler>();
  private endedWith: ((error: ControlError) => void) | undefined;
  /** Resolves when the connection ends, with why. */
  readonly ended: Promise<ControlError> = new Promise((resolve) => {
    this.endedWith = resolve;
  });

  /**
   * Connects and says hello. A full accept queue (EAGAIN: devrun busy accepting a burst of connections)
   * is retried within the timeout: it says nothing about whether devrun runs.
   */
  static async connect(path: string, options: ConnectOptions = {}): Promise<ControlClient> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      try {
        return await ControlClient.connectOnce(path, { ...options, timeoutMs: Math.max(1, deadline - Date.now()) });
      } catch (error) {
        if (!(error instanceof ControlError && error.code === 'backlog') || Date.now() + BACKLOG_RETRY_MS >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, BACKLOG_RETRY_MS));
      }
    }
  }

  private static connectOnce(path: string, { timeoutMs = 5000, versions = PROTOCOL_VERSIONS }: ConnectOptions): Promise<ControlClient> {
    // Node would silently connect to a truncated path: a different socket, or none.
    const tooLong = socketPathProblem(path);
    if (tooLong) return Promise.reject(new ControlError('connection', tooLong));
    const client = new ControlClient(path);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => client.fail(new ControlError('timeout', `devrun at ${path} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      client.handshake = { resolve: () => resolve(client), reject, timer };
      client.socket.once('connect', () => client.write(encode({ type: 'hello', versions: [...versions] })));
    });
  }

  private constructor(path: string) {
    this.path = path;
    this.socket = connect({ path });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socketError(path, error)));
    this.socket.on('close', () => this.fail(new ControlError('closed', `devrun at ${path} closed the connection`)));
  }

  /** What devrun said in the hello: the protocol version agreed, its version and pid. */
  get server(): ServerHello {
    return this.info!;
  }

  request<K extends Op>(op: K, ...[args, options]: RequestArgs<K>): Promise<Ops[K]['result']> {
    return this.call(op, args ?? {}, options);
  }

  /** Subscribes; `onEvent` gets every event of the subscription (topic, lines, data, skipped...). */
  subscribe(args: Ops['subscribe']['args'], onEvent: EventHandler): Promise<Ops['subscribe']['result']> {
    return this.call('subscribe', args, undefined, (result) => {
      this.handlers.set((result as { subscription: number }).subscription, onEvent);
    });
  }

  /** Stops reading from devrun (its queues take the backlog); resume() reads again. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private call<K extends Op>(
    op: K,
    args: Ops[K]['args'] | Record<string, never>,
    options: RequestOptions | undefined,
    onResult?: (result: unknown) => void,
  ): Promise<Ops[K]['result']> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    const line = encode({ type: 'request', id, op, args } as Request);
    if (Buffer.byteLength(line) - 1 > MAX_FRAME) {
      return Promise.reject(new ControlError('bad-request', `the "${op}" request is longer than ${MAX_FRAME} bytes`));
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = options?.timeoutMs;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new ControlError('timeout', `devrun did not answer "${op}" within ${timeoutMs} ms`));
            }, timeoutMs);
      const settle = (result: unknown) => {
        onResult?.(result);
        resolve(result as Ops[K]['result']);
      };
      this.pending.set(id, { op, resolve: settle, reject, timer });
      this.write(line);
    });
  }

  /** Closes the connection; requests still pending fail with `closed`. */
  close(): void {
    this.fail(new ControlError('closed', 'the connection was closed'));
  }

  private write(line: string): void {
    if (!this.socket.destroyed) this.socket.write(line);
  }

  private onData(chunk: Buffer): void {
    const { messages, error } = this.reader.push(chunk);
    for (const message of messages) {
      if (this.failure !== undefined) return;
      this.onMessage(message);
    }
    if (error !== undefined) this.fail(new ControlError(error.code, `devrun sent an unreadable message: ${error.message}`));
  }

  private onMessage(raw: JsonObject): void {
    const message = readServerMessage(raw);
    switch (message.kind) {
      case 'hello': {
        const handshake = this.handshake;
        if (handshake === undefined) return;
        this.handshake = undefined;
        clearTimeout(handshake.timer);
        this.info = message.hello;
        handshake.resolve(this);
        return;
      }
      case 'error':
        return this.fail(new ControlError(message.error.code, message.error.message));
      case 'response': {
        const { response } = message;
        const pending = response.id === null ? undefined : this.pending.get(response.id);
        if (pending === undefined || response.id === null) return;
        this.pending.delete(response.id);
        clearTimeout(pending.timer);
        if (response.ok) {
          const result = this.withLines(response.result, pending.op === 'lines' || pending.op === 'window');
          if (result === undefined) return this.fail(new ControlError('bad-message', `devrun sent unreadable lines for "${pending.op}"`));
          pending.resolve(result);
        } else pending.reject(new ControlError(response.error.code, response.error.message, response.error.details));
        return;
      }
      case 'event': {
        const event = this.withLines(message.event, message.event.topic === 'logs');
        if (event === undefined) return this.fail(new ControlError('bad-message', 'devrun sent unreadable log lines'));
        this.handlers.get(message.subscription)?.(event);
        return;
      }
      case 'invalid':
        return this.fail(new ControlError('bad-message', message.message));
      case 'other':
        return;
    }
  }

  /**
   * From protocol 2 on, the `lines` of some results and events come as a LineBatch: `value` with them
   * as LogLine objects again, as protocol 1 has them (undefined when they are unreadable).
   */
  private withLines<T>(value: T, carriesLines: boolean): T | undefined {
    if (!carriesLines || this.info === undefined || this.info.version < 2) return value;
    const object = value as JsonObject | null;
    if (typeof object !== 'object' || object === null || object.lines === undefined) return value;
    const lines = decodeLines(object.lines);
    return lines === undefined ? undefined : ({ ...object, lines } as T);
  }

  /** The first failure wins: it rejects the handshake and every pending request, and closes. */
  private fail(error: ControlError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.socket.destroy();
    this.handlers.clear();
    this.endedWith?.(error);
    const waiting = [...(this.handshake === undefined ? [] : [this.handshake]), ...this.pending.values()];
    this.handshake = undefined;
    this.pending.clear();
    for (const pending of waiting) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}

function socketError(path: string, error: NodeJS.ErrnoException): ControlError {
  switch (error.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return new ControlError('not-running', `no devrun serves ${path}`);
    case 'EACCES':
    case 'EPERM':
      return new ControlError('permission', `not allowed to connect to ${path}: it belongs to another user`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ControlError('closed', `devrun at ${path} closed the connection`);
    case 'EAGAIN':
      return new ControlError('backlog', `devrun at ${path} is not accepting connections fast enough: ${error.message}`);
    default:
      return new ControlError('connection', `cannot talk to devrun at ${path}: ${error.message}`);
  }
}
