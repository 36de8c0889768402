/**
 * `.env` parser. Pure. Values are exactly those of npm dotenv 17's `parse()` (same pattern, same
 * post-processing). On top of that it reports what dotenv does silently: text it skips, a quote it keeps
 * as part of the value, and a value it cuts at a `#` glued to it.
 */
import type { Diagnostic } from './types.js';

/**
 * The line pattern of dotenv 17.4 `lib/main.js` (https://github.com/motdotla/dotenv, BSD-2-Clause,
 * (c) Scott Motte), copied verbatim; the added `d` flag only records where the key starts.
 * Note `\s` also matches line breaks and the BOM, so a match can start on an earlier blank line.
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** `KEY=val#ue` gives `val` in dotenv (but `val#ue` in foreman and godotenv). */
const HASH_CUT = 'value is cut at "#", which starts a comment: quote the value to keep the "#"';

export function parseDotenv(text: string, file: string): { vars: Record<string, string>; diagnostics: Diagnostic[] } {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lineStarts = lineStartOffsets(source);
  const covered = new Uint8Array(source.length);
  const vars: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];

  for (const match of source.matchAll(LINE)) {
    const key = match[1] ?? '';
    const raw = (match[2] ?? '').trim();
    vars[key] = dotenvValue(raw);
    covered.fill(1, match.index, match.index + match[0].length);

    const [keyStart, keyEnd] = match.indices?.[1] ?? [match.index, match.index];
    const matchEnd = match.index + match[0].length;
    const cutAtHash = hashCutsValue(source, raw, keyEnd, matchEnd);
    const problem = quoteProblem(raw) ?? (cutAtHash ? HASH_CUT : undefined);
    if (problem) diagnostics.push({ file, line: lineNumberAt(lineStarts, keyStart), message: problem });
  }

  lineStarts.forEach((start, index) => {
    const end = lineStarts[index + 1] ?? source.length;
    if (hasSkippedText(source, start, end, covered)) {
      diagnostics.push({
        file,
        line: index + 1,
        message: 'not a KEY=value line, so it is ignored: write KEY=value or start it with #',
      });
    }
  });

  diagnostics.sort((a, b) => a.line - b.line);
  return { vars, diagnostics };
}

/** dotenv's post-processing of the matched value, step for step. */
function dotenvValue(raw: string): string {
  const unquoted = raw.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (raw[0] !== '"') return unquoted;
  return unquoted.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
}

/** dotenv keeps the quotes of a value that does not end with its opening quote. */
function quoteProblem(raw: string): string | undefined {
  const quote = raw[0];
  if (!isQuote(quote)) return undefined;
  if (!raw.includes(quote, 1)) return `unterminated quoted value: add the closing ${quote}`;
  if (raw.endsWith(quote)) return undefined;
  return `text after the closing ${quote} keeps the quotes in the value: quote the whole value`;
}

/**
 * True when an unquoted value is followed by `#` with no space before it: `KEY=val#ue`, `KEY=#fff`.
 * The first `#` after the key is the comment's, as neither the separator nor an unquoted value holds one.
 */
function hashCutsValue(source: string, raw: string, keyEnd: number, matchEnd: number): boolean {
  if (isQuote(raw[0])) return false;
  const hash = source.indexOf('#', keyEnd);
  return hash !== -1 && hash < matchEnd && !/\s/.test(source[hash - 1] ?? '');
}

/** True when [start, end) holds text no match covered, other than whitespace and `#` comments. */
function hasSkippedText(source: string, start: number, end: number, covered: Uint8Array): boolean {
  let inComment = false;
  for (let i = start; i < end; i++) {
    if (covered[i]) {
      inComment = false;
      continue;
    }
    const char = source[i] ?? '';
    if (inComment || /\s/.test(char)) continue;
    if (char !== '#') return true;
    inComment = true;
  }
  return false;
}

function isQuote(char: string | undefined): char is '"' | "'" | '`' {
  return char === '"' || char === "'" || char === '`';
}

function lineStartOffsets(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of an offset, by binary search over the line start offsets. */
function lineNumberAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
