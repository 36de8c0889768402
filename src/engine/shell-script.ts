/**
 * The script a Procfile command runs as (`/bin/sh -c SCRIPT`), so that stopping it lets the app finish
 * its own SIGTERM handler instead of dying of a hang-up.
 *
 * Why: dash does not exec the last command of `sh -c`, so on a PTY the shell is the session leader. On
 * SIGTERM to the group the shell died at once, the kernel hung up the terminal, and the app got SIGHUP
 * in the middle of draining.
 *
 * - A single simple command gets `exec` inserted after its leading `NAME=value` words
 *   (`PORT=3000 exec node x`; `exec PORT=3000 node x` would look for a program named `PORT=3000`):
 *   the app replaces the shell, leads the session and shows the pid devrun reports. Redirections after
 *   the program word are kept (exec applies them). A command that already starts with `exec` (after
 *   assignments) is returned unchanged.
 * - Anything else is compound and becomes `trap '__devrun_st=$?; wait; exit $__devrun_st' TERM; trap ... INT; CMD`. A trapped signal only runs once
 *   the foreground job has ended, so the shell outlives the app and the terminal stays up while it
 *   drains; then the shell exits with the app's status (0 after a clean drain, 143 when the app died of
 *   SIGTERM; not a fixed 143, so a clean drain reads "stopped (exit 0)" as it does for an exec'd app),
 *   and `a && b` or `a; b` never start b after a stop. Once the app is gone dash prints
 *   "Terminated" on stderr if the app died of the signal. HUP is never trapped or ignored: devrun dying
 *   must still hang everything up. SIGINT (Ctrl-C in input or focus mode) is bash's "wait and cooperative
 *   exit": dash alone would remember the ^C and die of SIGINT whenever the app exits, even an app that
 *   handled the ^C and later exits 0 (read as a crash, and `a; b` would skip b); the INT trap makes the
 *   shell die of SIGINT only when the app did (status 130), and go on otherwise. A loop of builtins
 *   alone (`while :; do :; done`) then no longer stops on ^C; a stop (TERM) still ends it.
 *   The trap also waits for members started with `&` (`a & b & wait`, whose `wait` a TERM interrupts at
 *   once), so none of them is hung up while draining. Not covered: a shell that ends by itself while a
 *   background member runs (`a & b` once b exits, a trailing `cmd &`): on a PTY that hangs a up.
 *   A TERM that arrives while the shell itself runs (a builtin loop, between commands) exits with the
 *   status of the last command.
 * - Single simple command: no unquoted `;` `&` `|` `(` `)` `<<` or newline, no backtick or `$(`
 *   outside single quotes, at least one word that is not an assignment, no redirection before the
 *   program word, and a program word that is not a reserved word (`if`, `{`, `!`, `[[` ...), has no `$`
 *   or glob character, and is not a shell builtin. Builtins are never exec'd, even those with a binary
 *   of the same name: `exec cd` fails, `exec export` looks for a program, and `/usr/bin/echo` does not
 *   expand `\t` the way dash's echo does (nothing is gained: builtins do not outlive the shell anyway).
 * - Quoting is honoured while scanning: single quotes, double quotes (where `\` escapes `$` `` ` `` `"`
 *   `\`), and backslash escapes outside quotes; an unquoted `#` at the start of a word begins a comment.
 *   `>&`, `<&`, `>|` and `<>` are redirections, not `&` or `|`. `&>` is `&` then `>` in dash: compound.
 * - Anything the scanner does not understand (an unterminated quote, a trailing backslash) is compound.
 *   A blank command is returned unchanged.
 */

const COMPOUND_PREFIX = "trap '__devrun_st=$?; wait; exit $__devrun_st' TERM; trap '[ $? -ne 130 ] || { trap - INT; kill -INT $$; }' INT; ";

/** Words that open or continue a compound command when they come first (dash's, bash's and ksh's). */
const RESERVED = new Set('! { } [[ ]] case coproc do done elif else esac fi for function if in select then time until while'.split(' '));

/** dash's builtins, POSIX special builtins, and bash's (macOS /bin/sh is bash). */
const BUILTINS = new Set(
  [
    '. : [ alias bg break builtin caller cd chdir command compgen complete compopt continue declare dirs disown echo enable eval exec',
    'exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray',
    'readonly return set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait',
  ]
    .join(' ')
    .split(' '),
);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const BLANK = /[ \t]/;
/** Characters that end an unquoted word. */
const WORD_END = /[ \t\n;&|()<>]/;
const DQUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\']);

interface Word {
  kind: 'word';
  /** Offset of the word's first character in the command. */
  start: number;
  raw: string;
  /** The word with quotes and escapes removed (expansions left as written). */
  value: string;
  /** Holds `$` outside single quotes or an unquoted glob character: its value is not known yet. */
  dynamic: boolean;
}

interface Redirection {
  kind: 'redirection';
  start: number;
}

type Token = Word | Redirection;

/** Thrown inside the scanner when the command is not a single simple command. */
class Compound extends Error {}

function scan(command: string): Token[] {
  return new Scanner(command).tokens();
}

/** The lexer behind scan(): one pass over the command, throwing Compound at anything not simple. */
class Scanner {
  private i = 0;

  constructor(private readonly command: string) {}

  tokens(): Token[] {
    const { command } = this;
    const tokens: Token[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.i >= command.length || command[this.i] === '#') return tokens;
      const ch = command[this.i]!;
      if (ch === '<' || ch === '>') {
        tokens.push(this.readRedirection(this.i));
        continue;
      }
      const word = this.readWord();
      if (word.raw === '') throw new Compound(); // ; & | ( ) or newline
      if (/^\d+$/.test(word.raw) && (command[this.i] === '<' || command[this.i] === '>')) {
        tokens.push(this.readRedirection(word.start)); // 2>&1: the digits are the redirection's fd
        continue;
      }
      tokens.push(word);
    }
  }

  private skipBlanks(): void {
    while (this.i < this.command.length && BLANK.test(this.command[this.i]!)) this.i += 1;
  }

  /** Reads one word starting at i; an empty result means i is at an operator or the end. */
  private readWord(): Word {
    const { command } = this;
    const start = this.i;
    const word = { value: '', dynamic: false };
    while (this.i < command.length) {
      const ch = command[this.i]!;
      if (WORD_END.test(ch)) break;
      if (ch === '`') throw new Compound();
      if (ch === '\\') word.value += this.readEscape(1);
      else if (ch === "'") this.readSingleQuoted(word);
      else if (ch === '"') this.readDoubleQuoted(word);
      else {
        if (ch === '$') {
          if (command[this.i + 1] === '(') throw new Compound();
          word.dynamic = true;
        } else if (ch === '*' || ch === '?' || ch === '[') {
          word.dynamic = true;
        }
        word.value += ch;
        this.i += 1;
      }
    }
    return { kind: 'word', start, raw: command.slice(start, this.i), ...word };
  }

  /** At a backslash `offset` before i's character: the escaped character (a line continuation is compound). */
  private readEscape(offset: number): string {
    const next = this.command[this.i + offset];
    if (next === undefined || next === '\n') throw new Compound();
    this.i += offset + 1;
    return next;
  }

  private readSingleQuoted(word: { value: string }): void {
    const close = this.command.indexOf("'", this.i + 1);
    if (close < 0) throw new Compound();
    word.value += this.command.slice(this.i + 1, close);
    this.i = close + 1;
  }

  private readDoubleQuoted(word: { value: string; dynamic: boolean }): void {
    const { command } = this;
    this.i += 1;
    for (;;) {
      const c = command[this.i];
      if (c === undefined || c === '`') throw new Compound();
      this.i += 1;
      if (c === '"') return;
      if (c === '\\') {
        const next = command[this.i];
        if (next === undefined || next === '\n') throw new Compound();
        word.value += DQUOTE_ESCAPABLE.has(next) ? next : `\\${next}`;
        this.i += 1;
        continue;
      }
      if (c === '$') {
        if (command[this.i] === '(') throw new Compound();
        word.dynamic = true;
      }
      word.value += c;
    }
  }

  /** At `<` or `>`: the operator and its target word. */
  private readRedirection(start: number): Redirection {
    const { command } = this;
    const op = command[this.i]!;
    const next = command[this.i + 1];
    this.i += 1;
    if (op === '<' && (next === '<' || next === '(')) throw new Compound();
    if (op === '>' && next === '(') throw new Compound();
    if (next === '&' || (op === '>' && (next === '>' || next === '|')) || (op === '<' && next === '>')) this.i += 1;
    this.skipBlanks();
    if (this.readWord().raw === '') throw new Compound();
    return { kind: 'redirection', start };
  }
}

type Shape = { kind: 'blank' } | { kind: 'compound' } | { kind: 'exec'; program: Word | undefined } | { kind: 'simple'; program: Word };

function shapeOf(command: string): Shape {
  if (command.trim() === '') return { kind: 'blank' };
  let tokens: Token[];
  try {
    tokens = scan(command);
  } catch (error) {
    if (error instanceof Compound) return { kind: 'compound' };
    throw error;
  }
  let first = 0;
  while (first < tokens.length) {
    const token = tokens[first]!;
    if (token.kind !== 'word' || !ASSIGNMENT.test(token.raw)) break;
    first += 1;
  }
  const program = tokens[first];
  if (program?.kind !== 'word' || program.dynamic || RESERVED.has(program.value)) return { kind: 'compound' };
  if (program.value === 'exec') {
    const next = tokens[first + 1];
    const target = next?.kind === 'word' && !next.dynamic && !next.value.startsWith('-') ? next : undefined;
    return { kind: 'exec', program: target };
  }
  if (BUILTINS.has(program.value)) return { kind: 'compound' };
  return { kind: 'simple', program };
}

/** The script to pass to `/bin/sh -c` for a Procfile command. */
export function shellScript(command: string): string {
  const shape = shapeOf(command);
  switch (shape.kind) {
    case 'blank':
    case 'exec':
      return command;
    case 'compound':
      return COMPOUND_PREFIX + command;
    case 'simple':
      return `${command.slice(0, shape.program.start)}exec ${command.slice(shape.program.start)}`;
  }
}

/** The program a single simple command runs (`bundle` for `RAILS_ENV=test bundle exec rails s`); undefined when compound. */
export function commandWord(command: string): string | undefined {
  const shape = shapeOf(command);
  return shape.kind === 'simple' || shape.kind === 'exec' ? shape.program?.value : undefined;
}
