import yargs from 'yargs';
import { procfileEntryNames } from './load-project.js';
import { VERBS } from './verb-names.js';

/**
 * Shell completion: `devrun completion` prints yargs's script for the user's shell (bash, or zsh when
 * $SHELL says so), which asks `devrun --get-yargs-completions WORDS...` at each Tab. yargs answers with
 * the verbs and flags that fit; `completeNames` adds the Procfile's entry names where NAMES go.
 */
export const COMPLETIONS_FLAG = '--get-yargs-completions';
export const COMPLETION_VERB = 'completion';

/** Verbs whose positionals are process names; the first word after `send` or `connect` only. */
const NAMES_VERBS = ['start', 'restart', 'stop', 'kill', 'logs'];
const ONE_NAME_VERBS = ['send', 'connect'];

type Done = (completions: string[]) => void;
type DefaultCompletion = (done: (error: Error | null, completions: string[] | undefined) => void) => void;

/**
 * yargs's custom completion function: `current` is the word under the cursor, `argv` what yargs parsed
 * of the words before it (`argv._` starts with the program name).
 */
export function completeNames(current: string, argv: Record<string, unknown>, defaultCompletion: DefaultCompletion, done: Done): void {
  defaultCompletion((_error, completions) => {
    const given = completions ?? [];
    if (current.startsWith('-') || !wantsName(argv, current)) return done(given);
    const procfile = typeof argv.procfile === 'string' ? argv.procfile : undefined;
    const root = typeof argv.root === 'string' ? argv.root : undefined;
    // Where a name goes, flags are offered only once a '-' is typed (as git does).
    const words = given.filter((c) => !c.startsWith('-'));
    done([...words, ...procfileEntryNames(procfile, root).filter((n) => !words.includes(n))]);
  });
}

/** Whether the word being completed is a process name: a NAMES position of its verb, or of plain `devrun`. */
function wantsName(argv: Record<string, unknown>, current: string): boolean {
  // yargs leaves the word under the cursor in argv._.
  const words = (argv._ as unknown[]).slice(1).map(String);
  if (words.at(-1) === current) words.pop();
  const [verb, ...rest] = words;
  if (verb === undefined) return true;
  if (ONE_NAME_VERBS.includes(verb)) return rest.length === 0;
  // Plain `devrun web wo<Tab>` is `devrun start web wo<Tab>`.
  return NAMES_VERBS.includes(verb) || !VERBS.includes(verb);
}

/** The completion script for the user's shell, as yargs writes it. */
export function completionScript(): string {
  let script = '';
  yargs()
    .scriptName('devrun')
    .completion(COMPLETION_VERB, false)
    .parse([COMPLETION_VERB], {}, (_error: unknown, _argv: unknown, output: string) => {
      script = output;
    });
  return script;
}
