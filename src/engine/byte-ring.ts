/**
 * The last `capacity` bytes of a stream, copied into one buffer. Copying matters: a chunk read from a
 * socket is a view on a 64 KiB allocation, so keeping the chunks themselves would keep up to 16× more.
 * The buffer starts small and doubles up to `capacity` as the stream grows, so a process that printed
 * a few lines holds a few KB, not the whole capacity.
 */
export class ByteRing {
  private buffer: Buffer | undefined;
  /** Next write position. */
  private end = 0;
  private size = 0;

  constructor(
    private readonly capacity: number,
    private readonly initial = 4096,
  ) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Only the last `capacity` bytes of a big chunk can survive.
    const data = chunk.length > this.capacity ? chunk.subarray(chunk.length - this.capacity) : chunk;
    const buffer = this.room(this.size + data.length);
    const length = buffer.length;
    const first = Math.min(data.length, length - this.end);
    buffer.set(data.subarray(0, first), this.end);
    buffer.set(data.subarray(first), 0);
    this.end = (this.end + data.length) % length;
    this.size = Math.min(length, this.size + data.length);
  }

  bytes(): Buffer {
    if (!this.buffer || this.size === 0) return Buffer.alloc(0);
    const length = this.buffer.length;
    const start = (this.end - this.size + length) % length;
    if (start + this.size <= length) return Buffer.from(this.buffer.subarray(start, start + this.size));
    return Buffer.concat([this.buffer.subarray(start), this.buffer.subarray(0, this.end)]);
  }

  clear(): void {
    this.end = 0;
    this.size = 0;
  }

  /** The buffer, grown (contents kept, oldest at 0) to hold `wanted` bytes when the capacity allows. */
  private room(wanted: number): Buffer {
    const current = this.buffer?.length ?? 0;
    if (current >= Math.min(wanted, this.capacity)) return this.buffer as Buffer;
    let length = Math.max(current * 2, Math.min(this.initial, this.capacity));
    while (length < wanted && length < this.capacity) length *= 2;
    const grown = Buffer.allocUnsafeSlow(Math.min(length, this.capacity));
    const kept = this.bytes();
    kept.copy(grown, 0);
    this.buffer = grown;
    this.size = kept.length;
    this.end = kept.length % grown.length;
    return grown;
  }
}
