/**
 * Device status report: "are you OK?", answered `ESC[0n` once the terminal has processed everything
 * before it (never `ESC[6n`, whose cursor-position answer is also a key: see INK-NOTES).
 */
export const FRAME_QUERY = '\x1b[5n';

export interface FrameQueries {
  /** The stream to hand Ink: the real one, with a query after each frame Ink writes. */
  stream: NodeJS.WriteStream;
  /** No more queries (the dashboard closes: an answer arriving after it would be typed into the shell). */
  stop(): void;
}

/**
 * Ink writes a frame in one synchronous burst (begin-sync, the frame, end-sync): the query follows it in
 * the same tick, once, and `asked` learns that a frame is in flight. Everything else (size, resize
 * events) is the real stream's.
 */
export function frameQueries(stream: NodeJS.WriteStream, asked: () => void): FrameQueries {
  let queued = false;
  let stopped = false;
  const ask = () => {
    queued = false;
    if (stopped) return;
    stream.write(FRAME_QUERY);
    asked();
  };
  const write = (...args: unknown[]) => {
    if (!queued && !stopped) {
      queued = true;
      queueMicrotask(ask);
    }
    return (stream.write as (...args: unknown[]) => boolean)(...args);
  };
  const proxy = new Proxy(stream, {
    get(target, key) {
      if (key === 'write') return write;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    stream: proxy,
    stop: () => {
      stopped = true;
    },
  };
}
