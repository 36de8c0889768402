/**
 * A cache that forgets what is no longer used: entries live in the current generation or the one
 * before; a lookup moves an old entry into the current one, and `rotate()` (at each frame, or when the
 * current generation reaches `maxSize`) drops the older generation. Holds at most 2 × maxSize entries.
 */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly maxSize = Number.POSITIVE_INFINITY) {}

  get(key: string, make: (key: string) => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key);
    if (value === undefined) value = make(key);
    if (this.current.size >= this.maxSize) this.rotate();
    this.current.set(key, value);
    return value;
  }

  rotate(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
