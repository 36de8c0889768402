/**
 * Parsers for the values a setting or a flag takes, each `{ value } | { problem }` with the problem
 * phrased to follow the key's name ("max_memory: ..."). Pure.
 *
 * - Durations: a number is seconds (`1.5`); a string takes a unit: `500ms`, `2s`, `1m`, `1h`.
 * - Sizes: a number is bytes; a string takes K, M or G (1024ⁿ, as PM2 and every memory tool), an
 *   optional `B`/`iB` and any case: `512M`, `1.5G`, `64kb`.
 * - Signals: `TERM` or `SIGTERM`, the ones a graceful stop is sent with.
 */
export type Parsed<T> = { value: T } | { problem: string };

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(raw: unknown): Parsed<number> {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) && raw >= 0 ? { value: Math.round(raw * 1000) } : { problem: `must be >= 0 seconds, got ${raw}` };
  }
  const match = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw) : null;
  if (!match) return { problem: `must be a duration such as 2s, 500ms or 1m, got ${JSON.stringify(raw)}` };
  return { value: Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!) };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseByteSize(raw: unknown): Parsed<number> {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw > 0 ? { value: raw } : { problem: `must be a whole number of bytes > 0, got ${raw}` };
  }
  const match = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(raw) : null;
  const value = match ? Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!) : 0;
  if (!match || value <= 0) return { problem: `must be a size such as 512M, 1G or 64K (K/M/G = 1024ⁿ bytes), got ${JSON.stringify(raw)}` };
  return { value };
}

/** Signals a process may want for its graceful stop (nginx QUIT, puma/sidekiq TERM, some INT or USR1). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGKILL'];

export function parseStopSignal(raw: unknown): Parsed<NodeJS.Signals> {
  const name = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  const signal = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
  if (name && STOP_SIGNALS.includes(signal)) return { value: signal };
  return { problem: `must be one of ${STOP_SIGNALS.map((s) => s.slice(3)).join(', ')}, got ${JSON.stringify(raw)}` };
}
