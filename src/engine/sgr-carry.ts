/**
 * Colours across lines, as a terminal keeps them: a process that turns red and prints a ten-line stack
 * trace before it resets has ten red lines. Each line is stored and shown on its own (a pane row, a log
 * file line, a headless line with its name in front), so a line that begins while a colour is on gets
 * that colour's sequences in front of it.
 *
 * - Input is a sanitized line (SGR is the only escape left in it). The state is the list of SGR
 *   sequences since the last reset (`ESC[m`, `ESC[0m`, or a list that starts with 0, like `ESC[0;31m`);
 *   a reset empties it, and a list that starts with 0 then adds itself.
 * - At most MAX_KEPT sequences are kept (the oldest go): a program that never resets must not make
 *   every later line longer and longer.
 * - A line with no ESC while nothing is on costs one `includes`. A new run starts with a new carry.
 */

const SGR = /\x1b\[([0-9;:]*)m/g;
const MAX_KEPT = 8;

export class SgrCarry {
  private active: string[] = [];
  /** `active` joined: what goes in front of the next line (built when it changes, not per line). */
  private prefix = '';

  /** Some colour is on: the next line gets sequences in front of it. */
  get colouring(): boolean {
    return this.prefix !== '';
  }

  /** The line with the colours still on from earlier lines put in front; updates the state. */
  carry(line: string): string {
    const prefix = this.prefix;
    if (line.includes('\x1b')) this.update(line);
    return prefix + line;
  }

  private update(line: string): void {
    for (const match of line.matchAll(SGR)) this.active = applySgr(this.active, match[0]);
    this.prefix = this.active.join('');
  }
}

/** The SGR sequences on after `sequence` (one `ESC[...m`), given those on before it (not changed). */
export function applySgr(active: readonly string[], sequence: string): string[] {
  const params = sequence.slice(2, -1);
  const resets = params === '' || /^0*$/.test(params) || /^0*[;:]/.test(params);
  // A reset alone ends every colour; a list that starts with one (ESC[0;31m) resets, then sets.
  const next = resets ? [] : [...active];
  if (resets && params.replace(/^0*[;:]?/, '') === '') return next;
  next.push(sequence);
  return next.length > MAX_KEPT ? next.slice(-MAX_KEPT) : next;
}
