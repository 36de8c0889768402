import { connect, type Socket } from 'node:net';
import { FrameReader, type JsonObject } from '../../src/control/protocol.js';
import { waitFor } from '../helpers/wait.js';

export const HELLO = '{"type":"hello","versions":[1]}\n';

/** A client that writes whatever bytes a test gives it and records what the server sends back. */
export class RawPeer {
  readonly socket: Socket;
  readonly messages: JsonObject[] = [];
  closed = false;
  private readonly reader = new FrameReader();

  static async connect(path: string, { read = true }: { read?: boolean } = {}): Promise<RawPeer> {
    const peer = new RawPeer(path, read);
    await new Promise<void>((resolve, reject) => {
      peer.socket.once('connect', resolve);
      peer.socket.once('error', reject);
    });
    return peer;
  }

  private constructor(path: string, read: boolean) {
    this.socket = connect({ path });
    if (read) this.startReading();
    else this.socket.pause();
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Reads (again): a peer made with `read: false` begins taking what the server sent. */
  startReading(): void {
    this.socket.on('data', (chunk: Buffer) => this.messages.push(...this.reader.push(chunk).messages));
    this.socket.resume();
  }

  /** Resolves once the bytes are handed to the kernel; false if the connection broke. */
  write(data: string | Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) resolve(false);
      else this.socket.write(data, (error) => resolve(error == null));
    });
  }

  message(predicate: (message: JsonObject) => boolean, what = 'a message'): Promise<JsonObject> {
    return waitFor(() => this.messages.find(predicate), { what, timeoutMs: 5000 });
  }

  async hello(): Promise<void> {
    await this.write(HELLO);
    await this.message((m) => m.type === 'hello', 'the hello');
  }

  /** The connection is closed (by the server); the message that came before, if any. */
  async closedWithError(): Promise<JsonObject | undefined> {
    await waitFor(() => this.closed, { what: 'the server to close the connection', timeoutMs: 5000 });
    return this.messages.find((m) => m.type === 'error');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
