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
 * - Subscriptions (the Session side): each has its queue (subscriptions.ts); a push wakes the pump,
 *   which runs once per turn of the event loop and writes events, one per subscription in turn, while
 *   less than EVENT_WATERMARK bytes wait in the socket; then it waits for 'drain'. So events batch up
 *   as they come, a reader that lags only fills its own bounded queues, and events alone never reach
 *   the output cap. The subscribe response is written before the pump first runs: it comes first.
 *   Subscriptions are unhooked when the socket closes.
 * - An idle connection holds no timer and no buffer; every listener lives on the socket and goes with it.
 *   Socket errors (a client killed mid-stream) are expected: 'close' follows, nothing is thrown.
 */
import type { Socket } from 'node:net';
import type { Dispatcher, Outcome, Session } from './dispatch.js';
import {
  type ConnectionErrorCode,
  EVENT_WATERMARK,
  encode,
  FrameReader,
  type JsonObject,
  MAX_FRAME,
  MAX_IN_FLIGHT,
  MAX_SUBSCRIPTIONS,
  type Message,
  negotiate,
  type Request,
  readClientMessage,
} from './protocol.js';
import type { EventQueue } from './subscriptions.js';

/** How long a closing connection may take to flush its last messages before it is destroyed. */
const CLOSE_GRACE_MS = 2000;
/** Payload bytes per event, about: many events per watermark, each far below MAX_FRAME once encoded. */
const EVENT_BATCH_BYTES = 32 * 1024;

interface Subscription {
  queue: EventQueue;
  detach: () => void;
}

export interface ConnectionContext {
  dispatcher: Dispatcher;
  /** The devrun version the hello reports. */
  devrun: string;
  /** Protocol versions served. */
  versions: readonly number[];
  /** Bytes of queued output past which the client is dropped. */
  outputCap: number;
}

export class ControlConnection implements Session {
  private readonly socket: Socket;
  private readonly context: ConnectionContext;
  private readonly reader = new FrameReader();
  /** The protocol version agreed in the handshake (requests and subscriptions come only after it). */
  private agreed: number | undefined;
  /** Requests being carried out (only shutdown takes time). */
  private inFlight = 0;
  /** No more input is handled: the peer ended, the connection failed, or the server is closing. */
  private inputDone = false;
  private closing = false;
  private readonly subscriptions = new Map<number, Subscription>();
  private nextSubscription = 1;
  private pumpScheduled = false;
  private awaitingDrain = false;

  constructor(socket: Socket, context: ConnectionContext) {
    this.socket = socket;
    this.context = context;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.finishInput());
    socket.on('error', () => {});
    socket.once('close', () => this.unsubscribeAll());
  }

  get version(): number {
    return this.agreed ?? 1;
  }

  /** Bytes held for an unfinished frame. */
  get bufferedBytes(): number {
    return this.reader.bufferedBytes;
  }

  /** Bytes of output waiting in devrun: in the socket, and in the subscriptions' queues. */
  get queuedBytes(): number {
    let total = this.socket.writableLength;
    for (const { queue } of this.subscriptions.values()) total += queue.bytes;
    return total;
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  subscribe(queue: EventQueue, attach: (wake: () => void) => () => void): number | undefined {
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS || this.socket.destroyed) return undefined;
    const id = this.nextSubscription++;
    const subscription: Subscription = { queue, detach: () => {} };
    this.subscriptions.set(id, subscription);
    subscription.detach = attach(() => this.schedulePump());
    this.schedulePump();
    return id;
  }

  unsubscribe(id: number): void {
    const subscription = this.subscriptions.get(id);
    if (subscription === undefined) return;
    this.subscriptions.delete(id);
    subscription.detach();
  }

  private unsubscribeAll(): void {
    for (const id of [...this.subscriptions.keys()]) this.unsubscribe(id);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.awaitingDrain) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** Writes queued events while the socket has room, round robin over the subscriptions. */
  private pump(): void {
    this.pumpScheduled = false;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    let wrote = true;
    while (wrote && this.socket.writableLength < EVENT_WATERMARK) {
      wrote = false;
      for (const [id, { queue }] of this.subscriptions) {
        if (this.socket.writableLength >= EVENT_WATERMARK) break;
        const body = queue.next(EVENT_BATCH_BYTES);
        if (body === undefined) continue;
        wrote = true;
        this.write({ type: 'event', subscription: id, ...body });
        if (this.socket.destroyed) return;
      }
    }
    if (this.socket.writableLength >= EVENT_WATERMARK && !this.awaitingDrain) {
      this.awaitingDrain = true;
      this.socket.once('drain', () => {
        this.awaitingDrain = false;
        this.schedulePump();
      });
    }
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
    if (this.agreed === undefined && incoming.kind !== 'hello' && message.type !== 'hello') {
      this.fail('hello-required', 'the first message must be a hello, like {"type":"hello","versions":[1]}');
      return;
    }
    switch (incoming.kind) {
      case 'hello': {
        if (this.agreed !== undefined) return this.fail('bad-message', 'a second hello');
        const agreed = negotiate(incoming.versions, this.context.versions);
        if (typeof agreed !== 'number') return this.fail(agreed.code as ConnectionErrorCode, agreed.message);
        this.agreed = agreed;
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
    const outcome = this.context.dispatcher.dispatch(request, this);
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
