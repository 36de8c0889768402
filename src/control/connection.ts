/**
 * One client connection, on the server side: framing, the handshake, requests handed to the
 * Dispatcher, and the rules that keep a misbehaving client from hurting devrun (protocol.ts has the
 * protocol itself).
 *
 * - Input goes through a FrameReader (never more than MAX_FRAME bytes held). A framing error, a message
 *   that is neither hello nor request, anything before the hello: one `error` message, then close.
 * - Output: a client whose queued output passes outputCap is not reading; its socket is destroyed at
 *   once, without a message, and nothing more it sent is handled.
 * - Closing: our side is ended once the error or the last answer is queued; the socket is destroyed as
 *   soon as that is flushed to the kernel, or after CLOSE_GRACE_MS if the peer does not read. What
 *   arrives meanwhile is dropped unread.
 * - Half-close: when the peer ends its side, requests in flight are still answered, then ours ends.
 *   drain() (the server is closing) does the same without waiting for the peer.
 * - An idle connection holds no timer and no buffer; every listener lives on the socket and goes with it.
 *   Socket errors (a client killed mid-stream) are expected: 'close' follows, nothing is thrown.
 */
import type { Socket } from 'node:net';
import type { Dispatcher, Outcome } from './dispatch.js';
import {
  type ConnectionErrorCode,
  encode,
  FrameReader,
  type JsonObject,
  MAX_FRAME,
  MAX_IN_FLIGHT,
  type Message,
  negotiate,
  type Request,
  readClientMessage,
} from './protocol.js';

/** How long a closing connection may take to flush its last messages before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

export interface ConnectionContext {
  dispatcher: Dispatcher;
  /** The devrun version the hello reports. */
  devrun: string;
  /** Protocol versions served. */
  versions: readonly number[];
  /** Bytes of queued output past which the client is dropped. */
  outputCap: number;
}

export class ControlConnection {
  private readonly socket: Socket;
  private readonly context: ConnectionContext;
  private readonly reader = new FrameReader();
  /** The protocol version agreed in the handshake. */
  private version: number | undefined;
  /** Requests being carried out (only shutdown takes time). */
  private inFlight = 0;
  /** No more input is handled: the peer ended, the connection failed, or the server is closing. */
  private inputDone = false;
  private closing = false;

  constructor(socket: Socket, context: ConnectionContext) {
    this.socket = socket;
    this.context = context;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.finishInput());
    socket.on('error', () => {});
  }

  /** Bytes held for an unfinished frame. */
  get bufferedBytes(): number {
    return this.reader.bufferedBytes;
  }

  /** Stop reading; answer the requests in flight, then close. */
  drain(): void {
    this.finishInput();
  }

  private onData(chunk: Buffer): void {
    if (this.inputDone) return;
    const { messages, error } = this.reader.push(chunk);
    for (const message of messages) {
      if (this.inputDone || this.socket.destroyed) return;
      this.handle(message);
    }
    if (error !== undefined && !this.inputDone && !this.socket.destroyed) this.fail(error.code, error.message);
  }

  private handle(message: JsonObject): void {
    const incoming = readClientMessage(message);
    if (this.version === undefined && incoming.kind !== 'hello' && message.type !== 'hello') {
      this.fail('hello-required', 'the first message must be a hello, like {"type":"hello","versions":[1]}');
      return;
    }
    switch (incoming.kind) {
      case 'hello': {
        if (this.version !== undefined) return this.fail('bad-message', 'a second hello');
        const agreed = negotiate(incoming.versions, this.context.versions);
        if (typeof agreed !== 'number') return this.fail(agreed.code as ConnectionErrorCode, agreed.message);
        this.version = agreed;
        this.write({ type: 'hello', version: agreed, devrun: this.context.devrun, pid: process.pid });
        return;
      }
      case 'invalid':
        return this.fail('bad-message', incoming.message);
      case 'bad-request':
        return this.respond(incoming.id, { ok: false, error: { code: 'bad-request', message: incoming.message } });
      case 'request':
        return this.run(incoming.request);
    }
  }

  private run(request: Request): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.respond(request.id, { ok: false, error: { code: 'busy', message: `${MAX_IN_FLIGHT} requests are still unanswered` } });
      return;
    }
    const outcome = this.context.dispatcher.dispatch(request);
    if (!(outcome instanceof Promise)) {
      this.respond(request.id, outcome);
      return;
    }
    this.inFlight++;
    outcome
      .catch((error: unknown): Outcome => ({ ok: false, error: { code: 'internal', message: String(error) } }))
      .then((settled) => {
        this.inFlight--;
        this.respond(request.id, settled);
        this.closeIfDone();
      });
  }

  private respond(id: number | null, outcome: Outcome): void {
    this.write(
      { type: 'response', id, ...outcome },
      { type: 'response', id, ok: false, error: { code: 'internal', message: `the answer is not JSON or longer than ${MAX_FRAME} bytes` } },
    );
  }

  private fail(code: ConnectionErrorCode, message: string): void {
    this.inputDone = true;
    this.write({ type: 'error', code, message });
    this.close();
  }

  private finishInput(): void {
    this.inputDone = true;
    this.closeIfDone();
  }

  private closeIfDone(): void {
    if (this.inputDone && this.inFlight === 0) this.close();
  }

  /** Ends our side after what is queued; destroys the socket once that is flushed, or after the grace. */
  private close(): void {
    if (this.closing || this.socket.destroyed) return;
    this.closing = true;
    const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
    this.socket.end(() => this.socket.destroy());
  }

  /** Queues one message (or `fallback` if it cannot be framed); drops a client that does not read. */
  private write(message: Message, fallback?: Message): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    let line = frame(message);
    if (line === undefined && fallback !== undefined) line = frame(fallback);
    if (line === undefined) return;
    this.socket.write(line);
    if (this.socket.writableLength > this.context.outputCap) this.socket.destroy();
  }
}

/** The message's frame, or undefined if it is not JSON or too long for the peer to accept. */
function frame(message: Message): string | undefined {
  try {
    const line = encode(message);
    // UTF-8 takes at least one byte per UTF-16 unit: the length alone rules most lines in or out.
    if (line.length - 1 > MAX_FRAME) return undefined;
    return line.length * 3 - 1 <= MAX_FRAME || Buffer.byteLength(line) - 1 <= MAX_FRAME ? line : undefined;
  } catch {
    return undefined;
  }
}
