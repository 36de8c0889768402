/** SGR sequences (ESC [ params m). */
const SGR = /\x1b\[([0-9;:]*)m/g;

/**
 * The text without colours (foreground, background, underline colour: 30-39, 40-49, 90-97, 100-107,
 * 38/48/58 with their 5;n or 2;r;g;b arguments), keeping bold, dim, italic, underline and inverse:
 * what NO_COLOR asks, with selection and state still visible.
 */
export function stripColours(text: string): string {
  if (!text.includes('\x1b[')) return text;
  return text.replace(SGR, (whole, params: string) => {
    if (params === '') return whole;
    const kept: string[] = [];
    const parts = params.split(';');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const code = Number(part.split(':')[0]);
      if (code === 38 || code === 48 || code === 58) {
        // Colon form carries its arguments in the same part; the semicolon form in the next ones.
        if (!part.includes(':')) i += parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
        continue;
      }
      if (
        (code >= 30 && code <= 39) ||
        (code >= 40 && code <= 49) ||
        (code >= 90 && code <= 97) ||
        (code >= 100 && code <= 107) ||
        code === 59
      )
        continue;
      kept.push(part);
    }
    return kept.length === 0 ? '' : `\x1b[${kept.join(';')}m`;
  });
}

/** NO_COLOR set to anything but the empty string (no-color.org). */
export const noColourWanted = (env: NodeJS.ProcessEnv): boolean => env.NO_COLOR !== undefined && env.NO_COLOR !== '';

/**
 * The terminal stream Ink draws on, with colours taken out of what it writes; everything else (size,
 * resize events, raw writes of title and bell) is the real stream's.
 */
export function colourlessStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? stripColours(chunk) : chunk, ...rest);
  return new Proxy(stream, {
    get(target, key) {
      if (key === 'write') return write;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
