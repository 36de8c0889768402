import { useInput } from 'ink';
import { commandFor, FOCUS_KEY_BYTE, type KeyInfo, NO_KEY } from '../state/keymap.js';
import type { UiState } from '../state/ui-state.js';
import type { Commands } from './use-commands.js';
import { useRawInput } from './use-raw-input.js';

/**
 * Keys to commands. Every read from the terminal takes its turn in the command queue and is read in the
 * mode the previous keys left: in focus mode its raw bytes go to the selected process (all but Ctrl-],
 * which leaves focus), otherwise Ink's parsed keys are the dashboard's; keys read together take turns.
 * One listener stays on for the dashboard's life, so raw mode never drops: switching listeners on focus
 * let Ink's raw-mode count reach 0 for an instant (a Ctrl-C then was a SIGINT to devrun), and a key typed
 * right after Ctrl-] could reach the listener React had not switched yet.
 */
export function useKeys(commands: Commands): void {
  const { enqueue, runNow, dispatch } = commands;
  const raw = useRawInput();
  const press = async (input: string, key: KeyInfo, ui: () => UiState) => {
    if (ui().notice) dispatch({ type: 'notice', text: null });
    const command = commandFor(ui().mode, input, key);
    if (command) await runNow(command);
  };
  /** Keys read together, one by one, each in the mode the one before left (Ctrl-] enters and leaves focus). */
  const typeKeys = async (text: string, ui: () => UiState) => {
    let rest = text;
    while (rest) {
      if (ui().mode !== 'focus') {
        const char = String.fromCodePoint(rest.codePointAt(0)!);
        await press(char, NO_KEY, ui);
        rest = rest.slice(char.length);
        continue;
      }
      const at = rest.indexOf(FOCUS_KEY_BYTE);
      const toProcess = at < 0 ? rest : rest.slice(0, at);
      if (toProcess) await runNow({ type: 'focus-write', data: toProcess });
      if (at < 0) return;
      await runNow({ type: 'close-overlay' });
      rest = rest.slice(at + 1);
    }
  };

  useInput((input, key) => {
    const bytes = raw.current ?? input;
    enqueue(async (ui) => {
      if (ui().mode === 'focus' || (bytes.length > 1 && bytes.includes(FOCUS_KEY_BYTE))) return typeKeys(bytes, ui);
      if (input.length <= 1 || key.ctrl || key.meta || key.escape) return press(input, key, ui);
      if (ui().mode !== 'input' && ui().mode !== 'search') return typeKeys(input, ui);
      // Text and Enter typed (or pasted) together: each line break submits, as in a terminal.
      const parts = input.split(/\r\n|\r|\n/);
      for (const [i, part] of parts.entries()) {
        if (i > 0) await press('', { ...NO_KEY, return: true }, ui);
        if (part) await press(part, NO_KEY, ui);
      }
    });
  });
}
