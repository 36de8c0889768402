import { stripAnsi } from '../engine/sanitize.js';

const SGR = /\x1b\[[0-9;:]*m/y;

/**
 * Cuts a line to at most `max` code points of visible text, keeping colour sequences. A line can be
 * 16 KB; Ink's own truncation (slice-ansi) is slow on that, so it only ever sees about one screen width.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let visible = 0;
  let i = 0;
  while (i < text.length && visible < max) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        i = SGR.lastIndex;
        continue;
      }
    }
    const code = text.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    visible++;
  }
  // A colour opened before the cut must not leak into the rest of the screen.
  return text.slice(0, i) + (text.includes('\x1b') ? '\x1b[0m' : '');
}

/** Splits plain text into alternating [outside, match, outside, ...] parts for a case-insensitive query. */
export function splitMatches(text: string, query: string): string[] {
  const plain = stripAnsi(text);
  if (!query) return [plain];
  const lower = plain.toLowerCase();
  const needle = query.toLowerCase();
  const parts: string[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    parts.push(plain.slice(from, at), plain.slice(at, at + needle.length));
    from = at + needle.length;
  }
  parts.push(plain.slice(from));
  return parts;
}
