/** The most devrun puts on the clipboard: terminals drop (or choke on) longer OSC 52 sequences. */
export const CLIPBOARD_MAX_BYTES = 100 * 1024;

/** What goes on the clipboard: whole lines up to the cap (a first line longer than the cap is cut in it). */
export interface ClipboardText {
  text: string;
  lines: number;
  cut: boolean;
}

/** The lines of `text` (one per line) that fit in `max` bytes of UTF-8. */
export function capText(text: string, max = CLIPBOARD_MAX_BYTES): ClipboardText {
  const all = text.split('\n');
  if (Buffer.byteLength(text) <= max) return { text, lines: all.length, cut: false };
  let bytes = 0;
  let count = 0;
  for (const line of all) {
    const size = Buffer.byteLength(line) + (count > 0 ? 1 : 0);
    if (bytes + size > max) break;
    bytes += size;
    count++;
  }
  if (count > 0) return { text: all.slice(0, count).join('\n'), lines: count, cut: true };
  // One line alone is over the cap: its first characters that fit (never half a character).
  let end = 0;
  bytes = 0;
  for (const char of all[0]!) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    end += char.length;
  }
  return { text: all[0]!.slice(0, end), lines: 1, cut: true };
}

/** OSC 52: the terminal puts the base64 text on the system clipboard ("c"). */
export const osc52 = (text: string): string => `\x1b]52;c;${Buffer.from(text).toString('base64')}\x07`;

/** The status bar's words once copied. */
export const copiedNotice = ({ lines, cut }: ClipboardText): string =>
  `copied ${lines} line${lines === 1 ? '' : 's'}${cut ? ' (cut to 100 KB)' : ''}`;
