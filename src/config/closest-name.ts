import { closest, distance } from 'fastest-levenshtein';

const MAX_EDITS = 2;

/** The known name a typo most likely meant: one it is a prefix of (or that prefixes it), or at most two edits away. */
export function closestName(name: string, known: string[]): string | null {
  if (known.length === 0) return null;
  const prefixed = known.find((k) => k.startsWith(name) || name.startsWith(k));
  if (prefixed !== undefined) return prefixed;
  const best = closest(name, known);
  return distance(name, best) <= MAX_EDITS ? best : null;
}
