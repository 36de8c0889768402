/**
 * The last `capacity` bytes of a stream, copied into one buffer. Copying matters: a chunk read from a
 * socket is a view on a 64 KiB allocation, so keeping the chunks themselves would keep up to 16× more.
 */
export class ByteRing {
  private buffer: Buffer | undefined;
  /** Next write position. */
  private end = 0;
  private size = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.buffer ??= Buffer.allocUnsafe(this.capacity);
    const buffer = this.buffer;
    // Only the last `capacity` bytes of a big chunk can survive.
    const data = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk;
    const first = Math.min(data.length, this.capacity - this.end);
    buffer.set(data.subarray(0, first), this.end);
    buffer.set(data.subarray(first), 0);
    this.end = (this.end + data.length) % this.capacity;
    this.size = Math.min(this.capacity, this.size + data.length);
  }

  bytes(): Buffer {
    if (!this.buffer || this.size === 0) return Buffer.alloc(0);
    const start = (this.end - this.size + this.capacity) % this.capacity;
    if (start + this.size <= this.capacity) return Buffer.from(this.buffer.subarray(start, start + this.size));
    return Buffer.concat([this.buffer.subarray(start), this.buffer.subarray(0, this.end)]);
  }

  clear(): void {
    this.end = 0;
    this.size = 0;
  }
}
