import { stripAnsi } from './sanitize.js';

/** An http:// or https:// URL up to the first space, quote or bracket. */
const URL_PATTERN = /https?:\/\/[^\s"'`<>()[\]{}]+/;

/**
 * The first http(s) URL in a batch of lines a process printed ("Local: http://localhost:5173/"), without
 * trailing punctuation; undefined when there is none. Colours are ignored.
 */
export function findPrintedUrl(texts: readonly string[]): string | undefined {
  for (const text of texts) {
    if (!text.includes('http')) continue;
    const found = URL_PATTERN.exec(stripAnsi(text));
    if (found) return found[0].replace(/[.,;:!?]+$/, '');
  }
  return undefined;
}
