/**
 * Ink's text measuring with bounded caches, swapped in at bundle time (scripts/build.mjs) for
 * ink/build/measure-text.js, ink/build/wrap-text.js and render-node-to-output's widest-line.
 *
 * Ink 6.8 keeps every text it ever measured or wrapped in module-level caches that never forget: a
 * dashboard that shows a log for hours keeps every line that was ever on screen (a flood shows ~150
 * new lines a second). Here each cache keeps what the screen still uses and drops the rest. widestLine
 * gets a cache too: Ink measures every text node of every frame with string-width, the largest part
 * of a quiet dashboard's frame after the output grid; sanitizing and slicing a line are cached too.
 */
import cliTruncate from 'cli-truncate';
import sliceAnsiText from 'slice-ansi';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import inkSanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';
import { TwoGenerationCache } from './two-generation-cache.js';

/** Entries per generation: several screens' worth of texts. */
const MAX_TEXTS = 4096;

const widths = new TwoGenerationCache<number>(MAX_TEXTS);
const dimensions = new TwoGenerationCache<{ width: number; height: number }>(MAX_TEXTS);
const wrapped = new TwoGenerationCache<string>(MAX_TEXTS);
const sanitized = new TwoGenerationCache<string>(MAX_TEXTS);
const sliced = new TwoGenerationCache<string>(MAX_TEXTS);

/**
 * ink/build/sanitize-ansi.js (control sequences other than colours taken out), cached: Ink runs it on
 * every text node of every frame, and a coloured row is tokenized each time.
 */
export function sanitizeAnsi(text: string): string {
  return sanitized.get(text, inkSanitizeAnsi);
}

/** slice-ansi's columns [from, to) of a line, cached: a clipped box's every line is sliced in every frame. */
export function sliceAnsi(line: string, from: number, to: number): string {
  return sliced.get(`${from}:${to}:${line}`, () => sliceAnsiText(line, from, to));
}

/** The widest line's width in columns (widest-line's result). */
export function widestLine(text: string): number {
  return widths.get(text, () => {
    let widest = 0;
    for (const line of text.split('\n')) widest = Math.max(widest, stringWidth(line));
    return widest;
  });
}

/** ink/build/measure-text.js: width and height of a text in cells. */
export function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  return dimensions.get(text, () => ({ width: widestLine(text), height: text.split('\n').length }));
}

type TextWrap = 'wrap' | 'end' | 'middle' | 'truncate-end' | 'truncate' | 'truncate-middle' | 'truncate-start';

/** ink/build/wrap-text.js: a text wrapped or truncated to maxWidth columns. */
export function wrapText(text: string, maxWidth: number, wrapType: TextWrap): string {
  return wrapped.get(`${maxWidth}:${wrapType}:${text}`, () => {
    if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
    if (wrapType.startsWith('truncate')) {
      const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
      return cliTruncate(text, maxWidth, { position });
    }
    return text;
  });
}
