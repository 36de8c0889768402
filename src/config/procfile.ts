/**
 * Procfile parser. Pure. Every line foreman accepts gives foreman's `name -> command`; every line foreman
 * silently drops or mis-parses gets a diagnostic instead. Deliberate differences from foreman:
 * - a bare `\r` ends a line (as honcho), so classic-Mac files parse instead of yielding one garbage command;
 * - trailing whitespace is trimmed from commands;
 * - an empty or whitespace-only command is reported and dropped (foreman drops `web:`, keeps `web: `);
 * - a duplicate name is reported and the later line dropped (foreman keeps both).
 * A command ending in `\` or a YAML block marker (`|`, `>`) is kept as foreman keeps it and reported; the
 * indented lines right after it are folded into that one diagnostic rather than reported one by one.
 */
import type { Diagnostic, ProcfileEntry } from './types.js';

/** foreman's `/^([A-Za-z0-9_-]+):\s*(.+)$/`; the dot matches anything except a line break, as Ruby's. */
const ENTRY = /^([A-Za-z0-9_-]+):[ \t\f\v]*(.*)$/s;
export const NAME = /^[A-Za-z0-9_-]+$/;
/** `|`, `>`, optionally with YAML's chomping (`-`, `+`) and indentation indicators. */
const YAML_BLOCK = /^[|>][-+1-9]{0,2}$/;

type Line = { kind: 'skip' } | { kind: 'entry'; name: string; command: string } | { kind: 'invalid'; indented: boolean; message: string };

/** A diagnostic whose line swallows the indented lines right after it. */
interface Fold {
  diagnostic: Diagnostic;
  message: string;
}

export function parseProcfile(text: string, file: string): { entries: ProcfileEntry[]; diagnostics: Diagnostic[] } {
  const entries: ProcfileEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const firstLineOf = new Map<string, number>();
  let fold: Fold | undefined;

  const report = (line: number, message: string): Diagnostic => {
    const diagnostic = { file, line, message };
    diagnostics.push(diagnostic);
    return diagnostic;
  };

  splitLines(text).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = classifyLine(raw);

    if (fold && line.kind === 'invalid' && line.indented) {
      fold.diagnostic.message = `${fold.message} (${lineRange(fold.diagnostic.line + 1, lineNo)} ignored)`;
      return;
    }
    fold = undefined;

    if (line.kind === 'skip') return;
    if (line.kind === 'invalid') {
      report(lineNo, line.message);
      return;
    }

    const { name, command } = line;
    const problem = commandProblem(name, command);
    if (problem) {
      fold = { diagnostic: report(lineNo, problem), message: problem };
    }
    if (command === '') return;

    const firstLine = firstLineOf.get(name);
    if (firstLine !== undefined) {
      report(lineNo, `duplicate process name "${name}" (first defined on line ${firstLine})`);
      return;
    }
    firstLineOf.set(name, lineNo);
    entries.push({ name, command, line: lineNo });
  });

  if (entries.length === 0) report(0, 'no process entries found');
  diagnostics.sort((a, b) => a.line - b.line);
  return { entries, diagnostics };
}

function splitLines(text: string): string[] {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return withoutBom.split(/\r\n|\n|\r/);
}

function classifyLine(raw: string): Line {
  const body = raw.trim();
  // `//` comments are not Procfile syntax, but foreman drops them quietly and procfile-util documents them.
  if (body === '' || body.startsWith('#') || body.startsWith('//')) return { kind: 'skip' };

  const match = ENTRY.exec(raw);
  if (match) {
    const [, name = '', command = ''] = match;
    return { kind: 'entry', name, command: command.replace(/[ \t\f\v]+$/, '') };
  }
  const indented = /^\s/.test(raw);
  return { kind: 'invalid', indented, message: invalidLineMessage(body, indented) };
}

function invalidLineMessage(body: string, indented: boolean): string {
  if (indented && ENTRY.test(body)) return 'entry is indented, so it is ignored: remove the indentation';
  const colon = body.indexOf(':');
  if (colon === -1) return 'missing ":" after the process name: write name: command';
  const name = body.slice(0, colon);
  if (name.trim() === '') return 'missing process name before ":": write name: command';
  if (NAME.test(name.trimEnd())) return `space before ":": write "${name.trimEnd()}:"`;
  return `invalid process name ${quote(name)}: use only A-Z, a-z, 0-9, "_" and "-"`;
}

/** Problems with a command that foreman accepts (or drops) without a word. */
function commandProblem(name: string, command: string): string | undefined {
  if (command === '') return `process "${name}" has no command: put it after ":" on the same line`;
  // An odd number of trailing backslashes escapes the newline; `\\` is a literal backslash.
  if (/(?:^|[^\\])(?:\\\\)*\\$/.test(command)) {
    return 'line continuation with "\\" is not supported in a Procfile: put the whole command on one line';
  }
  if (YAML_BLOCK.test(command)) {
    const marker = quote(command);
    return `${marker} starts a YAML block, which Procfiles do not support: put the command on this line`;
  }
  return undefined;
}

function lineRange(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

/** Quote user text for a one-line message: escaped, and cut when long. */
function quote(text: string): string {
  const max = 40;
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
