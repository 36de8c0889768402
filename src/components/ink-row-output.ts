/**
 * Ink's Output class (ink/build/output.js, 6.8.0) with the same result, swapped in at bundle time
 * (scripts/build.mjs): each frame's text is computed only for the rows whose content changed.
 *
 * Ink builds every frame as a grid of one object per cell (4800 at 120×40), tokenizes every line of
 * every write and turns every row back into a string, even when one row changed: ~10–20 ms and most of
 * a quiet dashboard's garbage per frame on a slow core. Here the writes are first gathered per row,
 * clipped and transformed exactly as Ink does; a row whose writes equal a row of the previous frame
 * reuses that row's string, and only the others take Ink's grid path. What is cached lives for one more
 * frame (two generations), so nothing grows with the lines that scroll by.
 *
 * Ink's quirks are kept on purpose (test/components/ink-row-output.test.ts compares both on the same
 * writes): a line that falls outside the grid skips the rest of its write, cells left of x are blanks.
 */
import { type StyledChar, styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';
import { sliceAnsi, widestLine } from './ink-text-caches.js';
import { TwoGenerationCache } from './two-generation-cache.js';

type Transformer = (line: string, index: number) => string;

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** Row texts and tokenized lines, by frame: what one frame used lives through the next one. */
const rowTexts = new TwoGenerationCache<string>();
const styledLines = new TwoGenerationCache<StyledChar[]>();
/** Widths of single characters: the screen's alphabet. */
const charWidths = new TwoGenerationCache<number>(4096);

const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: [] }) as StyledChar;

const charWidth = (value: string): number => charWidths.get(value, stringWidth);
const styledChars = (line: string): StyledChar[] => styledLines.get(line, (l) => styledCharsFromTokens(tokenize(l)));

/** One line of one write, where it lands in its row. */
interface Segment {
  x: number;
  line: string;
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const rows = this.segmentsByRow();
    const texts = rows.map((segments) => rowTexts.get(rowKey(this.width, segments), () => renderRow(this.width, segments)));
    rowTexts.rotate();
    styledLines.rotate();
    return { output: texts.join('\n'), height: rows.length };
  }

  /** Ink's placement of every write, line by line, without drawing anything yet. */
  private segmentsByRow(): Segment[][] {
    const rows: Segment[][] = Array.from({ length: this.height }, () => []);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const placed = clipWrite(operation, clips.at(-1));
      if (!placed) continue;
      const { x, y, lines } = placed;
      let offsetY = 0;
      for (let [index, line] of lines.entries()) {
        const row = rows[y + offsetY];
        // As Ink: a row outside the grid is skipped without moving on, so the rest of the write is too.
        if (!row) continue;
        for (const transformer of operation.transformers) line = transformer(line, index);
        row.push({ x, line });
        offsetY++;
      }
    }
    return rows;
  }
}

/** Ink's clipping of one write: its lines cut to the clip, and where they start; undefined when outside it. */
function clipWrite(operation: { x: number; y: number; text: string }, clip: Clip | undefined) {
  let { x, y } = operation;
  let lines = operation.text.split('\n');
  if (!clip) return { x, y, lines };
  const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
  const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
  if (clipHorizontally) {
    const width = widestLine(operation.text);
    if (x + width < clip.x1! || x > clip.x2!) return undefined;
  }
  if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) return undefined;
  if (clipHorizontally) {
    const [x1, x2] = [clip.x1!, clip.x2!];
    lines = lines.map((line) => {
      const from = x < x1 ? x1 - x : 0;
      const width = stringWidth(line);
      const to = x + width > x2 ? x2 - x : width;
      return sliceAnsi(line, from, to);
    });
    if (x < x1) x = x1;
  }
  if (clipVertically) {
    const [y1, y2] = [clip.y1!, clip.y2!];
    const from = y < y1 ? y1 - y : 0;
    const to = y + lines.length > y2 ? y2 - y : lines.length;
    lines = lines.slice(from, to);
    if (y < y1) y = y1;
  }
  return { x, y, lines };
}

/** Everything a row's text depends on, unambiguously (each line's length before it). */
function rowKey(width: number, segments: readonly Segment[]): string {
  let key = String(width);
  for (const { x, line } of segments) key += `|${x}:${line.length}:${line}`;
  return key;
}

/** Ink's grid path for one row: blanks, each segment's characters over them in order, then one string. */
function renderRow(width: number, segments: readonly Segment[]): string {
  const cells: StyledChar[] = new Array(width).fill(BLANK);
  for (const { x, line } of segments) {
    let offsetX = x;
    for (const character of styledChars(line)) {
      cells[offsetX] = character;
      const characterWidth = Math.max(1, charWidth(character.value));
      // A wide character's other columns hold empty cells, as in Ink.
      for (let i = 1; i < characterWidth; i++) cells[offsetX + i] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
}
